/** The listener on its own server (startWebhookServer): real HTTP on 127.0.0.1, real Express. */
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import YAML from 'yaml';
import { startWebhookServer, type RunningWebhookServer, type WebhookServerOptions } from '../../src/webhook';
import type { WebhookMessage } from '../../src/stellantis/wire';
import { SPEC_DIR, webhookSpec } from '../helpers/spec';
import { testPki, writeTempFiles } from '../helpers/certs';
import { postJson, RecordingLogger, RecordingSink, remoteMessage, SECRET, SECRET_HEADER, send } from './support';

const PATH = '/stellantis/webhook';

describe('webhook server', () => {
  let sink: RecordingSink;
  let logger: RecordingLogger;
  let server: RunningWebhookServer | undefined;

  async function start(extra: Partial<WebhookServerOptions> = {}): Promise<RunningWebhookServer> {
    server = await startWebhookServer({ path: PATH, secret: SECRET, host: '127.0.0.1', port: 0, sink, logger, ...extra });
    return server;
  }

  beforeEach(() => {
    sink = new RecordingSink();
    logger = new RecordingLogger();
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
    assert.deepEqual(logger.mentioning(SECRET), [], 'the secret must never be logged');
  });

  it('hands a single message to the sink and answers 200', async () => {
    const { url } = await start();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/stellantis\/webhook$/);
    const message = remoteMessage();
    const reply = await postJson(url, message);
    assert.equal(reply.status, 200);
    assert.equal(sink.deliveries.length, 1);
    assert.deepEqual(sink.deliveries[0].messages, [message]);
    assert.equal(sink.deliveries[0].meta.remoteAddress, '127.0.0.1');
    assert.ok(Math.abs(sink.deliveries[0].meta.receivedAt - Date.now()) < 5_000);
  });

  it('hands a batch to the sink in one call, in order', async () => {
    const { url } = await start();
    const batch = ['Accepted', 'SentToVehicle', 'Success'].map((status, i) =>
      remoteMessage({ date: `2025-01-02T03:04:0${i}Z` }, status),
    );
    const reply = await postJson(url, batch);
    assert.equal(reply.status, 200);
    assert.equal(sink.deliveries.length, 1);
    assert.deepEqual(sink.deliveries[0].messages, batch);
  });

  it('delivers every value of every enum of the official webhook template, with no unknown-value warning', async () => {
    const { url } = await start();
    const messages = messagesCoveringEveryEnum();
    const spec = webhookSpec();
    for (const message of messages) {
      assert.deepEqual(spec.validateMessage(message), [], JSON.stringify(message));
      const reply = await postJson(url, message);
      assert.equal(reply.status, 200, JSON.stringify(message));
    }
    assert.deepEqual(sink.messages, messages);
    assert.deepEqual(logger.at('warn'), []);
    // Spot check that the generation really covers the lists (the spec has 20 failure causes, 6 pending statuses).
    const causes = new Set(messages.map((m) => m.remoteEvent?.eventStatus?.failureCause).filter(Boolean));
    assert.equal(causes.size, spec.enums.failureCause.length);
    assert.ok(causes.size >= 20);
  });

  it('answers the health check without the secret, with its status only (point 3: no counts, no dates of the car\'s activity)', async () => {
    const { url } = await start();
    const before = await send(`${url}/health`);
    assert.equal(before.status, 200);
    assert.deepEqual(before.json, { status: 'ok' });
    assert.equal((await postJson(url, [remoteMessage(), remoteMessage({}, 'Accepted')])).status, 200);
    const after = await send(`${url}/health`);
    assert.equal(after.status, 200);
    assert.equal(after.text, before.text, 'notifications received change nothing in the answer');
    assert.deepEqual(after.json, { status: 'ok' });
    assert.ok(!after.text.includes(SECRET));
    assert.equal(after.headers['x-powered-by'], undefined);
  });

  it('answers JSON 404 elsewhere and 405 for other methods on the webhook path', async () => {
    const { url, port } = await start();
    const other = await send(`http://127.0.0.1:${port}/elsewhere`);
    assert.equal(other.status, 404);
    assert.deepEqual(other.json, { error: 'not found' });
    const get = await send(url);
    assert.equal(get.status, 405);
    assert.equal(get.headers.allow, 'POST');
    assert.equal(sink.deliveries.length, 0);
  });

  it('takes notifications at every spelling of the path the Express router takes, all into the one sink', async () => {
    // Exact POSTs skip Express (server.ts); the other spellings reach the same endpoint through the router.
    const { url, port } = await start();
    const base = `http://127.0.0.1:${port}`;
    for (const target of [url, `${url}/`, `${url}?source=stellantis`, `${base}/Stellantis/Webhook`]) {
      const reply = await postJson(target, remoteMessage());
      assert.equal(reply.status, 200, `${target}: ${reply.text}`);
    }
    assert.equal(sink.deliveries.length, 4);
    assert.equal((await postJson(url, remoteMessage(), { [SECRET_HEADER]: 'wrong' })).status, 401);
    assert.equal((await postJson(`${url}/`, remoteMessage(), { [SECRET_HEADER]: 'wrong' })).status, 401);
    assert.equal((await postJson(`${base}/stellantis/webhookx`, remoteMessage())).status, 404);
    assert.equal(sink.deliveries.length, 4);
  });

  it('serves HTTPS with a certificate given as PEM text or as file paths', async () => {
    const pki = await testPki();
    const { url } = await start({ https: { cert: pki.server.cert, key: pki.server.key } });
    assert.match(url, /^https:\/\//);
    const reply = await postJson(url, remoteMessage(), {}, pki.ca.cert);
    assert.equal(reply.status, 200);
    await assert.rejects(send(url.replace('https:', 'http:'), { body: remoteMessage() }));
    await server?.close();

    const files = writeTempFiles({ 'cert.pem': pki.server.cert, 'key.pem': pki.server.key });
    try {
      const { url: url2 } = await start({ https: { cert: files.file('cert.pem'), key: files.file('key.pem') } });
      assert.equal((await postJson(url2, remoteMessage(), {}, pki.ca.cert)).status, 200);
    } finally {
      files.remove();
    }
    assert.equal(sink.deliveries.length, 2);
  });

  it('names the https file it cannot read', async () => {
    const missing = path.join(os.tmpdir(), 'no-such-webhook-cert.pem');
    await assert.rejects(start({ https: { cert: missing, key: missing } }), (err: Error) => {
      assert.match(err.message, /https\.cert/);
      assert.ok(err.message.includes(missing));
      return true;
    });
  });

  it('close() frees the port, even with a keep-alive connection open, and may be called twice', async () => {
    const { url, port } = await start();
    const agent = new http.Agent({ keepAlive: true });
    try {
      const reply = await new Promise<number>((resolve, reject) => {
        const req = http.request(
          url,
          { method: 'POST', agent, headers: { 'content-type': 'application/json', [SECRET_HEADER]: SECRET } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify(remoteMessage()));
      });
      assert.equal(reply, 200);
      const started = Date.now();
      await server?.close();
      await server?.close();
      assert.ok(Date.now() - started < 1_500, 'close must not wait for idle keep-alive connections');
    } finally {
      agent.destroy();
    }
    server = undefined;
    const probe = http.createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(port, '127.0.0.1', resolve);
    });
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });

  it('explains a port already in use and a bad port number', async () => {
    const { port } = await start();
    await assert.rejects(
      startWebhookServer({ path: PATH, secret: SECRET, host: '127.0.0.1', port, sink, logger }),
      /already in use; choose another webhook\.port/,
    );
    await assert.rejects(startWebhookServer({ path: PATH, secret: SECRET, port: 70000, sink }), /port 70000 is not a port number/);
  });
});

type Json = Record<string, unknown>;

/** Every `enum` under components.schemas of the template, by JSON pointer. */
function enumsOfTemplate(): Map<string, string[]> {
  const doc = YAML.parse(fs.readFileSync(path.join(SPEC_DIR, 'api-b2c-webhook-template.yaml'), 'utf8')) as Json;
  const found = new Map<string, string[]>();
  const walk = (node: unknown, pointer: string): void => {
    if (typeof node !== 'object' || node === null) return;
    const obj = node as Json;
    if (Array.isArray(obj.enum)) found.set(pointer, obj.enum.map((v) => String(v).trim()));
    for (const [key, child] of Object.entries(obj)) if (key !== 'enum') walk(child, `${pointer}/${key}`);
  };
  walk((doc.components as Json).schemas, '/components/schemas');
  return found;
}

/** One message per value of every enum, each built where that enum lives in a `Message`. */
function messagesCoveringEveryEnum(): WebhookMessage[] {
  const base = (remoteType: string, type: string, status: string, more: Json = {}): WebhookMessage => ({
    callbackId: 'cb-1',
    type: 'Remote',
    date: '2025-01-02T03:04:05Z',
    remoteEvent: { remoteActionId: `ra-${remoteType}-${status}`, remoteType, eventStatus: { type, status, ...more } },
  });
  const monitor = (data: string, valueType = 'string', extensionType?: string): WebhookMessage => ({
    callbackId: 'cb-1',
    type: 'Monitor',
    date: '2025-01-02T03:04:05Z',
    monitorEvent: {
      monitorId: 'mon-1',
      values: [{ data, value: { type: valueType, body: { literalValue: '1' } } }],
      ...(extensionType ? { extensions: [{ type: extensionType, body: [] }] } : {}),
      refresh: false,
    },
  });
  const builders: Record<string, (v: string) => WebhookMessage> = {
    '/components/schemas/Message/properties/type': (v) => (v === 'Monitor' ? monitor('vehicle.odometer') : base('Horn', 'Done', 'Success')),
    '/components/schemas/MonitorEvent/properties/values/items/properties/data': (v) => monitor(v),
    '/components/schemas/MonitorEvent/properties/values/items/properties/value/properties/type': (v) => monitor('vehicle.alert', v),
    '/components/schemas/MonitorEvent/properties/extensions/items/properties/type': (v) => monitor('vehicle.odometer', 'string', v),
    '/components/schemas/RemoteType': (v) => base(v, 'Pending', 'SentToVehicle'),
    '/components/schemas/RemoteEventType': (v) => base('Lights', v, v === 'Done' ? 'Success' : 'Accepted'),
    '/components/schemas/RemoteDoneEventStatus': (v) => base('Doors', 'Done', v, v === 'Failed' ? { failureCause: 'VehicleError' } : {}),
    '/components/schemas/RemotePendingEventStatus': (v) => base('ThermalPreconditioning', 'Pending', v),
    '/components/schemas/RemoteFailedEventStatus': (v) => base('ElectricBatteryChargingRequest', 'Done', 'Failed', { failureCause: v }),
    '/components/schemas/RemoteEventFeedbackDetail': (v) => base('Doors', 'Done', 'Success', { feedbackDetail: v }),
  };
  const enums = enumsOfTemplate();
  assert.deepEqual([...enums.keys()].sort(), Object.keys(builders).sort(), 'the template gained or lost an enum: add a builder for it');
  return [...enums].flatMap(([pointer, values]) => values.map((v) => builders[pointer](v)));
}
