module.exports = require('../dist/nodes/src/stellantis-status').default;
