/**
 * A faithful fake of the Stellantis side for tests and the built-in demo: the B2C v4 and B2B v3
 * APIs, the brand OAuth2 server, vehicles that sleep, charge and answer remotes, and webhook
 * delivery with retries and batches. No state on disk; `stop()` leaves nothing running.
 *
 * What the rest of the code may use of it is exported here (the faces never reach further in).
 */
export { startSimulator } from './start';
export { runSimulatorCommand, type SimulateArgs } from './cli';
export { seedSimulatorTokens, simulatedAccountConfig, simulatorTokens, simulatorTokenStore, type SimulatedAccountConfig } from './simulatedAccount';
export type * from './types';
export { VEHICLE_PRESETS } from './vehicles';
export { CAPABILITY_PRESETS } from './capabilities';
