/**
 * What Stellantis (or anyone else) sees when POSTing to the webhook, run twice: on the listener's own
 * server, and with the router mounted under a prefix in a host app (as Node-RED's httpNode does).
 */
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createWebhookRouter, startWebhookServer, type WebhookListenerOptions } from '../../src/webhook';
import { requireFromNodeRed } from '../helpers/hostModules';
import { postJson, RecordingLogger, RecordingSink, remoteMessage, SECRET, SECRET_HEADER, send, type HttpReply } from './support';
import { sleep } from '../helpers/simulator';

const PATH = '/stellantis/webhook';

interface Listening {
  url: string;
  close(): Promise<void>;
}

type Mount = (opts: WebhookListenerOptions) => Promise<Listening>;

const standalone: Mount = async (opts) => {
  const server = await startWebhookServer({ ...opts, host: '127.0.0.1', port: 0 });
  return { url: server.url, close: () => server.close() };
};

interface HostApp {
  (req: http.IncomingMessage, res: http.ServerResponse): void;
  use(...handlers: unknown[]): unknown;
}

/** The Express of the Node-RED under test (4.x in Node-RED 4 and 5), which its httpNode app is made with. */
function nodeRedExpress(): () => HostApp {
  return requireFromNodeRed<() => HostApp>('express');
}

/** Like Node-RED: the router used by an `httpNode` app that is itself mounted under a root path. */
const mountedUnderPrefix =
  (makeApp: () => HostApp): Mount =>
  async (opts) => {
    const main = makeApp();
    const httpNode = makeApp();
    httpNode.use(createWebhookRouter(opts));
    main.use('/red', httpNode);
    const server = http.createServer(main);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}/red${PATH}`,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    };
  };

function assertJsonError(reply: HttpReply, status: number): void {
  assert.equal(reply.status, status, reply.text);
  assert.match(String(reply.headers['content-type']), /application\/json/);
  const body = reply.json as { error?: unknown };
  assert.equal(typeof body.error, 'string');
  assert.ok(!/\bat .+\(.+:\d+:\d+\)/.test(reply.text), `no stack trace in ${reply.text}`);
}

const WRONG = 'wrong-secret-value-0123456789';

for (const [mode, mount] of [
  ['own server', standalone],
  ['router mounted under a prefix', mountedUnderPrefix(express as () => HostApp)],
  ["router in Node-RED's Express", mountedUnderPrefix(nodeRedExpress())],
] as const) {
  describe(`webhook protocol (${mode})`, () => {
    let sink: RecordingSink;
    let logger: RecordingLogger;
    let listening: Listening | undefined;

    async function start(extra: Partial<WebhookListenerOptions> = {}): Promise<string> {
      listening = await mount({ path: PATH, secret: SECRET, sink, logger, ...extra });
      return listening.url;
    }

    beforeEach(() => {
      sink = new RecordingSink();
      logger = new RecordingLogger();
    });

    afterEach(async () => {
      await listening?.close();
      listening = undefined;
      assert.deepEqual(logger.mentioning(SECRET), [], 'the secret must never be logged');
      assert.deepEqual(logger.mentioning(WRONG), [], 'a received secret header must never be logged');
    });

    it('refuses a missing or wrong secret with 401 and keeps the sink out of it', async () => {
      const url = await start();
      const missing = await send(url, { body: remoteMessage(), headers: { 'content-type': 'application/json' } });
      assertJsonError(missing, 401);
      assertJsonError(await postJson(url, remoteMessage(), { [SECRET_HEADER]: WRONG }), 401);
      assertJsonError(await postJson(url, remoteMessage(), { [SECRET_HEADER]: SECRET.slice(0, -1) + 'x' }), 401);
      assertJsonError(await postJson(url, remoteMessage(), { [SECRET_HEADER]: '' }), 401);
      assert.equal(sink.deliveries.length, 0);
      assert.equal((await postJson(url, remoteMessage(), { 'X-Stellantis-Webhook-Secret': SECRET })).status, 200);
      assert.equal(sink.deliveries.length, 1);
    });

    it('reads the secret from a configured header', async () => {
      const url = await start({ secretHeader: 'X-Our-Token' });
      assertJsonError(await postJson(url, remoteMessage()), 401);
      assert.equal((await postJson(url, remoteMessage(), { 'x-our-token': SECRET })).status, 200);
      assert.equal(sink.deliveries.length, 1);
    });

    it('answers 429 to an address after repeated failures, while another address still gets through', async () => {
      const url = await start({ trustProxy: 'loopback', authFailureLimit: { max: 3, windowMs: 60_000 } });
      const attacker = { 'x-forwarded-for': '203.0.113.7' };
      const stellantis = { 'x-forwarded-for': '198.51.100.9' };
      for (let i = 0; i < 3; i++) assertJsonError(await postJson(url, remoteMessage(), { ...attacker, [SECRET_HEADER]: WRONG }), 401);
      const blocked = await postJson(url, remoteMessage(), { ...attacker, [SECRET_HEADER]: WRONG });
      assertJsonError(blocked, 429);
      assert.ok(Number(blocked.headers['retry-after']) > 0 && Number(blocked.headers['retry-after']) <= 60);
      assert.equal(sink.deliveries.length, 0);
      const other = await postJson(url, remoteMessage(), { ...stellantis, [SECRET_HEADER]: WRONG });
      assertJsonError(other, 401);
      assert.equal((await postJson(url, remoteMessage(), stellantis)).status, 200);
      assert.equal(sink.deliveries.length, 1);
      assert.equal(sink.deliveries[0].meta.remoteAddress, '198.51.100.9');
      const warnings = logger.mentioning('203.0.113.7').filter((m) => m.includes('failed authentications'));
      assert.equal(warnings.length, 1);
    });

    it('ignores X-Forwarded-For unless trustProxy says so', async () => {
      const url = await start({ authFailureLimit: { max: 2, windowMs: 60_000 } });
      await postJson(url, remoteMessage(), { 'x-forwarded-for': '203.0.113.1', [SECRET_HEADER]: WRONG });
      await postJson(url, remoteMessage(), { 'x-forwarded-for': '203.0.113.2', [SECRET_HEADER]: WRONG });
      assertJsonError(await postJson(url, remoteMessage(), { 'x-forwarded-for': '198.51.100.9', [SECRET_HEADER]: WRONG }), 429);
      assert.ok(logger.mentioning('set webhook.trustProxy').length === 1, 'the block warning hints at trustProxy');
    });

    it('lets a blocked address try again once the window has passed', async () => {
      const url = await start({ authFailureLimit: { max: 1, windowMs: 250 } });
      assertJsonError(await postJson(url, remoteMessage(), { [SECRET_HEADER]: WRONG }), 401);
      assertJsonError(await postJson(url, remoteMessage(), { [SECRET_HEADER]: WRONG }), 429);
      await sleep(300);
      assertJsonError(await postJson(url, remoteMessage(), { [SECRET_HEADER]: WRONG }), 401);
    });

    it('answers 400 to malformed JSON, a JSON scalar, and an empty body', async () => {
      const url = await start();
      const headers = { 'content-type': 'application/json', [SECRET_HEADER]: SECRET };
      assertJsonError(await send(url, { body: '{"callbackId": "cb-1", ', headers }), 400);
      assertJsonError(await send(url, { body: '"just a string"', headers }), 400);
      assertJsonError(await send(url, { body: '42', headers }), 400);
      assertJsonError(await send(url, { body: '', headers }), 400);
      assert.equal(sink.deliveries.length, 0);
    });

    it('answers 415 to a body that is not JSON', async () => {
      const url = await start();
      const body = JSON.stringify(remoteMessage());
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        assertJsonError(await send(url, { body, headers: { 'content-type': type, [SECRET_HEADER]: SECRET } }), 415);
      }
      assertJsonError(await send(url, { body, headers: { [SECRET_HEADER]: SECRET } }), 415);
      assertJsonError(await send(url, { method: 'POST', headers: { [SECRET_HEADER]: SECRET } }), 415);
      const latin1 = { 'content-type': 'application/json; charset=iso-8859-1', [SECRET_HEADER]: SECRET };
      assertJsonError(await send(url, { body, headers: latin1 }), 415);
      assert.equal(sink.deliveries.length, 0);
      assert.equal((await send(url, { body, headers: { 'content-type': 'application/json; charset=utf-8', [SECRET_HEADER]: SECRET } })).status, 200);
    });

    it('answers 413 to a body over the limit (configured, and the 1 MB default)', async () => {
      let url = await start({ bodyLimit: '2kb' });
      const filler = (n: number) => [remoteMessage({ padding: 'x'.repeat(n) })];
      assertJsonError(await postJson(url, filler(3_000)), 413);
      assert.equal((await postJson(url, filler(1_000))).status, 200);
      await listening?.close();
      url = await start();
      assertJsonError(await postJson(url, filler(1_100_000)), 413);
      assert.equal((await postJson(url, filler(900_000))).status, 200);
      assert.equal(sink.deliveries.length, 2);
    });

    it('keeps unknown fields and enum values, answers 200, and warns once per distinct unknown', async () => {
      const url = await start();
      const odd = remoteMessage({
        vin: 'VR3XXXXXXXXXXXXXX',
        remoteEvent: {
          remoteActionId: 'ra-9',
          remoteType: 'Teleport',
          eventStatus: { type: 'Done', status: 'Failed', failureCause: 'MoonPhase', extraDetail: 7 } as never,
        },
      });
      for (let i = 0; i < 3; i++) assert.equal((await postJson(url, [odd, odd])).status, 200);
      assert.equal(sink.messages.length, 6);
      for (const m of sink.messages) assert.deepEqual(m, odd);
      for (const word of ['Teleport', 'MoonPhase', '"vin"', 'extraDetail']) {
        assert.equal(logger.at('warn').filter((l) => l.includes(word)).length, 1, `one warning mentioning ${word}: ${logger.at('warn').join(' | ')}`);
      }
      assert.equal(logger.at('warn').length, 4);
    });

    it('drops batch elements that are not objects (with a warning) and takes the rest; an empty batch is fine', async () => {
      const url = await start();
      const a = remoteMessage({}, 'Accepted');
      const b = remoteMessage();
      assert.equal((await postJson(url, [a, 'noise', 3, null, [b], b])).status, 200);
      assert.deepEqual(sink.messages, [a, b]);
      assert.equal(logger.mentioning('dropped 4 batch element(s)').length, 1);
      assert.equal((await postJson(url, [])).status, 200);
      assert.equal(sink.deliveries.length, 1, 'nothing to hand over for an empty batch');
    });

    it('answers 500 when the sink cannot take the messages, so Stellantis retries', async () => {
      const url = await start();
      sink.failWith = new Error('queue is full');
      assertJsonError(await postJson(url, remoteMessage()), 500);
      assert.equal(logger.at('error').filter((l) => l.includes('queue is full')).length, 1);
      sink.failWith = undefined;
      assert.equal((await postJson(url, remoteMessage())).status, 200);
      assert.equal(sink.deliveries.length, 1);
    });

    it('still answers 200 when an asynchronous sink fails later, and logs it', async () => {
      const messages: unknown[] = [];
      const url = await start({
        sink: {
          accept: async (m) => {
            messages.push(...m);
            await Promise.resolve();
            throw new Error('processing broke');
          },
        },
      });
      assert.equal((await postJson(url, remoteMessage())).status, 200);
      await new Promise((r) => setImmediate(r));
      assert.equal(messages.length, 1);
      assert.equal(logger.at('error').filter((l) => l.includes('processing broke')).length, 1);
    });

    it('keeps messages of another callback out of the sink, answers 200, and logs each foreign id once', async () => {
      let ours = new Set<string>(['cb-ours']);
      const url = await start({ callbackIds: () => ours });
      const mine = remoteMessage({ callbackId: 'cb-ours' });
      const foreign = remoteMessage({ callbackId: 'cb-old' });
      const anonymous = remoteMessage();
      delete anonymous.callbackId;
      assert.equal((await postJson(url, [mine, foreign, anonymous, foreign])).status, 200);
      assert.equal((await postJson(url, foreign)).status, 200);
      assert.deepEqual(sink.messages, [mine, anonymous]);
      assert.equal(logger.mentioning('"cb-old"').length, 1);
      ours = new Set();
      assert.equal((await postJson(url, foreign)).status, 200);
      assert.deepEqual(sink.messages, [mine, anonymous, foreign], 'no filtering while no callback id is known');
    });

    it('ignores query parameters (callback Query attributes)', async () => {
      const url = await start();
      const reply = await postJson(`${url}?vin=VR3ABCDEFGH123456&callbackLabel=home&secret=nope`, remoteMessage());
      assert.equal(reply.status, 200);
      assert.equal(sink.deliveries.length, 1);
    });

    it('answers the health check under its path', async () => {
      const url = await start();
      const health = await send(`${url}/health?x=1`);
      assert.equal(health.status, 200);
      assert.deepEqual(health.json, { status: 'ok' });
    });
  });
}
