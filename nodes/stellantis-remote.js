module.exports = require('../dist/nodes/src/stellantis-remote').default;
