module.exports = require('../dist/nodes/src/stellantis-events').default;
