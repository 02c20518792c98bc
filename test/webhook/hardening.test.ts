/**
 * Issue 11 (points 1, 2, 6, 8): what a stranger can do to the listener: never block Stellantis, never
 * grow its memory or its logs without bound, never turn a valid notification into a 500 or the CPU into a furnace.
 * Real listeners on loopback, real HTTP; memory measured after a full garbage collection.
 */
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import * as os from 'node:os';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as zlib from 'node:zlib';
import { startWebhookServer, type RunningWebhookServer, type WebhookServerOptions } from '../../src/webhook';
import type { Logger } from '../../src/util/logger';
import { postJson, RecordingLogger, RecordingSink, remoteMessage, SECRET, SECRET_HEADER, send, type HttpReply } from './support';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const PATH = '/stellantis/webhook';
const WRONG = 'wrong-secret-value-0123456789';
const MB = 1024 * 1024;

/** Heap growth across `work`, each side measured after full garbage collections. */
async function retainedBy(work: () => Promise<void>): Promise<number> {
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  await work();
  gc();
  gc();
  return process.memoryUsage().heapUsed - before;
}

/** Keeps only the length of the longest line logged (so the logger itself retains nothing). */
class LongestLineLogger implements Logger {
  longest = 0;
  lines = 0;
  private note(msg: string): void {
    this.lines++;
    this.longest = Math.max(this.longest, msg.length);
  }
  debug(msg: string): void {
    this.note(msg);
  }
  info(msg: string): void {
    this.note(msg);
  }
  warn(msg: string): void {
    this.note(msg);
  }
  error(msg: string): void {
    this.note(msg);
  }
}

/** `count` requests, `parallel` at a time. */
async function many(count: number, parallel: number, one: (i: number) => Promise<HttpReply>): Promise<HttpReply[]> {
  const out: HttpReply[] = [];
  for (let i = 0; i < count; i += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - i) }, (_x, j) => one(i + j));
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

/** A non-loopback IPv4 address of this machine, if it has one. */
function lanAddress(): string | undefined {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** A POST of a raw encoded body (the support client sends what it is given). */
function postEncoded(url: string, body: Buffer, encoding: string): Promise<HttpReply> {
  return send(url, { body, headers: { 'content-type': 'application/json', 'content-encoding': encoding, [SECRET_HEADER]: SECRET } });
}

/** `size` bytes of JSON-ish filler, compressed: tiny on the wire, huge once decoded. */
async function bomb(size: number, encoding: 'br' | 'gzip'): Promise<Buffer> {
  const encoder =
    encoding === 'br'
      ? zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } })
      : zlib.createGzip({ level: 9 });
  const chunks: Buffer[] = [];
  encoder.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    encoder.on('end', resolve);
    encoder.on('error', reject);
  });
  encoder.write('[');
  const block = Buffer.alloc(4 * MB, ' ');
  for (let written = 0; written < size; written += block.length) {
    if (!encoder.write(block)) await new Promise((r) => encoder.once('drain', r));
  }
  encoder.end();
  await done;
  return Buffer.concat(chunks);
}

/** JSON text of `depth` nested lists around 1 (JSON.stringify itself cannot write it). */
function nestedJson(depth: number): string {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

/** How deep lists nest, walked without recursion. */
function depthOf(value: unknown): number {
  let depth = 0;
  let node = value;
  while (Array.isArray(node)) {
    depth++;
    node = node[0];
  }
  return depth;
}

/** A message's JSON with the "@DEEP@" placeholder string replaced by a deep value. */
function withDeep(message: object, deep: string): string {
  return JSON.stringify(message).replace('"@DEEP@"', deep);
}

function postText(url: string, body: string): Promise<HttpReply> {
  return send(url, { body, headers: { 'content-type': 'application/json', [SECRET_HEADER]: SECRET } });
}

describe('webhook hardening (issue 11)', function () {
  this.timeout(60_000);
  let sink: RecordingSink;
  let server: RunningWebhookServer | undefined;

  async function start(extra: Partial<WebhookServerOptions> = {}): Promise<RunningWebhookServer> {
    server = await startWebhookServer({ path: PATH, secret: SECRET, host: '127.0.0.1', port: 0, sink, ...extra });
    return server;
  }

  beforeEach(() => {
    sink = new RecordingSink();
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  describe('point 1: the failed-authentication limiter never holds back the right secret', () => {
    it('point 1: behind a local proxy (every request from 127.0.0.1), wrong secrets get 429 but the right one is still answered 200', async () => {
      const logger = new RecordingLogger();
      const { url } = await start({ logger });
      for (let i = 0; i < 10; i++) assert.equal((await postJson(url, remoteMessage(), { [SECRET_HEADER]: WRONG })).status, 401);
      for (let i = 0; i < 10; i++) assert.equal((await postJson(url, remoteMessage(), { [SECRET_HEADER]: WRONG })).status, 429);
      const genuine = await postJson(url, remoteMessage());
      assert.equal(genuine.status, 200, genuine.text);
      assert.equal(sink.deliveries.length, 1);
      assert.equal(sink.deliveries[0].meta.remoteAddress, '127.0.0.1');
      assert.equal((await postJson(url, remoteMessage(), { [SECRET_HEADER]: WRONG })).status, 429, 'the block still holds wrong secrets back');
    });

    it("point 1: with trustProxy true, blocking the address Stellantis' requests carry does not lock Stellantis out", async () => {
      const { url } = await start({ trustProxy: true, authFailureLimit: { max: 3, windowMs: 60_000 } });
      const chosen = { 'x-forwarded-for': '198.51.100.9' };
      for (let i = 0; i < 5; i++) await postJson(url, remoteMessage(), { ...chosen, [SECRET_HEADER]: WRONG });
      assert.equal((await postJson(url, remoteMessage(), { ...chosen, [SECRET_HEADER]: WRONG })).status, 429);
      assert.equal((await postJson(url, remoteMessage(), chosen)).status, 200);
      assert.equal(sink.messages.length, 1);
    });

    it('point 1: rotating long X-Forwarded-For values neither grow the heap nor the log lines without bound', async () => {
      const logger = new LongestLineLogger();
      const { url } = await start({ trustProxy: true, logger, authFailureLimit: { max: 1, windowMs: 60_000 } });
      const count = 1_200;
      const header = 12_000;
      const retained = await retainedBy(async () => {
        const replies = await many(count, 16, (i) =>
          postJson(url, remoteMessage(), { 'x-forwarded-for': `${i}-${'f'.repeat(header)}`, [SECRET_HEADER]: WRONG }),
        );
        assert.ok(replies.every((r) => r.status === 401), 'each new address gets 401');
      });
      // Kept as is, the keys alone would hold count × header bytes (14 MB).
      assert.ok(retained < 4 * MB, `the limiter retained ${(retained / MB).toFixed(1)} MB for ${count} addresses`);
      assert.ok(logger.lines >= count, 'every refusal was logged');
      assert.ok(logger.longest < 600, `longest log line: ${logger.longest} characters`);
    });
  });

  describe('point 2: the plain-HTTP listener binds loopback unless told otherwise', () => {
    it('point 2: without a host, the plain-HTTP listener answers on 127.0.0.1 and not on the LAN address', async function () {
      const lan = lanAddress();
      if (lan === undefined) this.skip();
      server = await startWebhookServer({ path: PATH, secret: SECRET, port: 0, sink });
      assert.equal(await connects('127.0.0.1', server.port), true);
      assert.equal(await connects(lan, server.port), false, `reachable at ${lan}`);
      await server.close();
      server = await startWebhookServer({ path: PATH, secret: SECRET, port: 0, sink, host: '0.0.0.0' });
      assert.equal(await connects(lan, server.port), true, 'an explicit host opens it');
    });
  });

  describe('point 6: deeply nested values are described by type and size, never a 500', () => {
    it('point 6: notifications with 5,000-level values in unknown and foreign fields are answered 200, logged briefly', async () => {
      const logger = new RecordingLogger();
      const { url } = await start({ logger, callbackIds: () => new Set(['cb-1']) });
      const deep = nestedJson(5_000);
      const messages = [
        withDeep(remoteMessage({ type: '@DEEP@' as never }), deep),
        withDeep(remoteMessage({ remoteEvent: { remoteActionId: 'ra-2', remoteType: '@DEEP@' as never, eventStatus: { type: 'Done', status: 'Success' } } }), deep),
        withDeep(remoteMessage({ extra: '@DEEP@' } as never), deep),
        withDeep(remoteMessage({ callbackId: '@DEEP@' }), deep),
      ];
      const body = `[${messages.join(',')}]`;
      assert.ok(body.length > 40_000);
      const reply = await postText(url, body);
      assert.equal(reply.status, 200, reply.text);
      assert.equal(sink.messages.length, 3, 'the foreign (nested) callback id is kept out, the rest taken as is');
      assert.equal(depthOf(sink.messages[0].type), 5_000);
      const warnings = logger.at('warn');
      assert.ok(warnings.some((w) => w.includes('unknown type value a list of 1 item')), warnings.join('\n'));
      assert.ok(warnings.some((w) => w.includes('unknown remoteEvent.remoteType value a list of 1 item')), warnings.join('\n'));
      assert.ok(warnings.some((w) => w.includes('callback a list of 1 item, which is not ours')), warnings.join('\n'));
      for (const w of logger.lines) assert.ok(w.msg.length < 600, `a log line of ${w.msg.length} characters`);
      assert.deepEqual(logger.at('error'), []);
    });

    it('point 6: a valid JSON body that is merely deep (a 5,000-level batch element) is read, answered 200, the element dropped', async () => {
      const logger = new RecordingLogger();
      const { url } = await start({ logger });
      const reply = await postText(url, `[${JSON.stringify(remoteMessage())},${nestedJson(5_000)}]`);
      assert.equal(reply.status, 200, reply.text);
      assert.equal(sink.messages.length, 1);
      assert.equal(logger.mentioning('dropped 1 batch element(s)').length, 1);
    });
  });

  describe('point 8: what a stranger sends stops costing once refused', () => {
    for (const encoding of ['br', 'gzip'] as const) {
      it(`point 8: a ${encoding} bomb gets 413 and its decompression stops there (CPU spent, not wall time)`, async () => {
        const body = await bomb(encoding === 'br' ? 512 * MB : 150 * MB, encoding);
        assert.ok(body.length < 1 * MB, `the bomb is ${body.length} bytes on the wire`);
        const { url } = await start();
        // What decoding the whole bomb costs this machine, measured here, on the same thread pool.
        const fullStart = process.cpuUsage();
        await new Promise<void>((resolve, reject) => {
          const decoder = encoding === 'br' ? zlib.createBrotliDecompress() : zlib.createGunzip();
          decoder.on('data', () => undefined).on('end', resolve).on('error', reject);
          decoder.end(body);
        });
        const full = process.cpuUsage(fullStart);
        const fullMs = (full.user + full.system) / 1000;

        const cpuStart = process.cpuUsage();
        const reply = await postEncoded(url, body, encoding);
        assert.equal(reply.status, 413, reply.text);
        // Give a decoder left running the time to burn what it would.
        await new Promise((r) => setTimeout(r, Math.min(2_000, fullMs)));
        const spent = process.cpuUsage(cpuStart);
        const spentMs = (spent.user + spent.system) / 1000;
        assert.ok(fullMs > 100, `decoding the whole bomb costs ${fullMs.toFixed(0)} ms of CPU`);
        // The refused request also pays for sending the body and draining it unread; on a loaded 2-core CI machine that
        // reaches about a third of a full decode. A decoder left running costs two thirds or more (619 of 918 ms seen).
        assert.ok(spentMs < fullMs / 2, `the refused request cost ${spentMs.toFixed(0)} ms of CPU (the whole bomb: ${fullMs.toFixed(0)} ms)`);
        assert.equal(sink.deliveries.length, 0);
        // The listener still serves.
        assert.equal((await postJson(url, remoteMessage())).status, 200);
      });
    }

    it('point 8: foreign callback ids of any length keep the "logged once" filter and the log lines small', async () => {
      const logger = new LongestLineLogger();
      const { url } = await start({ logger, callbackIds: () => new Set(['cb-ours']) });
      const count = 24;
      const idLength = 600_000;
      const retained = await retainedBy(async () => {
        for (let i = 0; i < count; i++) {
          const reply = await postJson(url, remoteMessage({ callbackId: `${'c'.repeat(idLength)}-${i}` }));
          assert.equal(reply.status, 200);
        }
      });
      assert.equal(sink.deliveries.length, 0);
      assert.ok(logger.lines >= 1, 'the foreign callback was reported');
      assert.ok(logger.longest < 600, `longest log line: ${logger.longest} characters`);
      // Kept whole, the ids would hold count × idLength bytes (14 MB).
      assert.ok(retained < 4 * MB, `the filter retained ${(retained / MB).toFixed(1)} MB for ${count} ids`);
    });
  });
});
