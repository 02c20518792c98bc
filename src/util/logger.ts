/**
 * The one logging interface of the core. Homebridge's logger and a Node-RED node both fit it,
 * so the core never needs to know which host it runs in.
 */
export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

const ignore = (): void => undefined;

export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
