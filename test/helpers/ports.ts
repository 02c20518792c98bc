/** An ephemeral TCP port free right now on loopback: the demo's own helper, for the tests' listeners too. */
export { freePort } from '../../src/demo/ports';
