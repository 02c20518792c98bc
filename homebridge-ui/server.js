'use strict';
/**
 * The Homebridge UI runs this file as a child process while the plugin's settings are open; the
 * page (public/) talks to it through `homebridge.request(path, body)`.
 * @homebridge/plugin-ui-utils is an ES module: loaded with import() so this file stays CommonJS.
 */
const { StellantisUiActions, UiError } = require('./uiActions');

async function main() {
  const { HomebridgePluginUiServer, RequestError } = await import('@homebridge/plugin-ui-utils');

  class StellantisUiServer extends HomebridgePluginUiServer {
    constructor() {
      super();
      const actions = new StellantisUiActions({ storagePath: this.homebridgeStoragePath });
      for (const [route, handler] of Object.entries(actions.routes())) {
        this.onRequest(route, async (body) => {
          try {
            return await handler(body ?? {});
          } catch (err) {
            // RequestError: the page gets the message (and details), no stack trace in the log.
            if (err instanceof UiError) throw new RequestError(err.message, err.details);
            throw new RequestError('Unexpected error in the settings page server: see the Homebridge log', {});
          }
        });
      }
      const stop = () => {
        actions.stop().finally(() => process.exit(0));
      };
      process.once('SIGTERM', stop);
      this.ready();
    }
  }

  return new StellantisUiServer();
}

main().catch((err) => {
  process.stderr.write(`homebridge-stellantis settings page server could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
