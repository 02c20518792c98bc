module.exports = require('../dist/nodes/src/stellantis-account').default;
