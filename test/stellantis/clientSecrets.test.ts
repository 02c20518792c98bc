/**
 * The webhook secret the client registers never shows in what a failed call produces. The server
 * here is a loopback listener that quotes the request in its error, as some APIs do (the simulator
 * does not): whatever it echoes, the error and the log hold no secret.
 */
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StellantisClient } from '../../src/stellantis/client';
import { StellantisApiError } from '../../src/stellantis/errors';
import type { CallbackSubscribe } from '../../src/stellantis/wire';

const CONFIG_SECRET = 'configured-webhook-secret-1234567890';
const GENERATED_SECRET = 'generated-webhook-secret-0987654321';

function subscribe(secret: string): CallbackSubscribe {
  return {
    label: 'homebridge',
    callback: { webhook: { name: 'homebridge', target: 'https://cars.example.org/hook', attributes: [{ type: 'Header', key: 'X-Webhook-Secret', value: secret }] } },
  };
}

describe('stellantis/client: the webhook secret stays out of failed calls', () => {
  let server: http.Server;
  let baseUrl: string;

  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const parsed = JSON.parse(body) as { callback: { webhook: { attributes: Array<{ value: string }> } } };
        const attributes = parsed.callback.webhook.attributes;
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: `bad-${attributes[0].value}`, uuid: attributes[0].value, message: `invalid callback attributes: ${JSON.stringify(attributes)}` }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/connectedcar/v3`;
  });
  after(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  it('scrubs the configured and the generated secret from the error and the log', async () => {
    const lines: string[] = [];
    const logger = { debug: (m: string) => lines.push(m), info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    const client = new StellantisClient(
      { flavour: 'b2b', clientId: 'cid', fleetId: 'fleet-1', username: 'fleet-user', password: 'fleet-password', baseUrl, webhook: { secret: CONFIG_SECRET } },
      { logger },
    );
    try {
      const failures: unknown[] = [];
      await client.createCallback(subscribe(CONFIG_SECRET)).catch((e: unknown) => failures.push(e));
      // A secret the engine generated and stored itself, never in the configuration.
      await client.updateCallback('cb-1', subscribe(GENERATED_SECRET)).catch((e: unknown) => failures.push(e));
      assert.equal(failures.length, 2);
      for (const err of failures) {
        assert.ok(err instanceof StellantisApiError);
        assert.equal(err.status, 400);
        assert.match(err.message, /API says: "invalid callback attributes: .*X-Webhook-Secret.*\*\*\*/, 'the echo is there, scrubbed');
        const shown = `${err.message} ${JSON.stringify(err)} ${lines.join('\n')}`;
        for (const secret of [CONFIG_SECRET, GENERATED_SECRET, 'fleet-password']) assert.ok(!shown.includes(secret), `${secret} shown: ${shown}`);
      }
    } finally {
      client.close();
    }
  });
});
