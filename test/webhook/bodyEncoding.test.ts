/** Bodies as HTTP may carry them: compressed, chunked, sent slowly, or too large while still streaming. */
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import * as zlib from 'node:zlib';
import { startWebhookServer, type RunningWebhookServer } from '../../src/webhook';
import { RecordingLogger, RecordingSink, remoteMessage, SECRET, SECRET_HEADER, send } from './support';

const PATH = '/stellantis/webhook';

describe('webhook body reading', () => {
  let sink: RecordingSink;
  let server: RunningWebhookServer;

  beforeEach(async () => {
    sink = new RecordingSink();
    server = await startWebhookServer({ path: PATH, secret: SECRET, host: '127.0.0.1', port: 0, sink, logger: new RecordingLogger(), bodyLimit: '4kb' });
  });
  afterEach(async () => {
    await server.close();
  });

  const json = JSON.stringify([remoteMessage(), remoteMessage({}, 'Failed')]);
  const headers = (extra: Record<string, string> = {}) => ({ 'content-type': 'application/json', [SECRET_HEADER]: SECRET, ...extra });

  for (const [encoding, encode] of [
    ['gzip', zlib.gzipSync],
    ['deflate', zlib.deflateSync],
    ['br', zlib.brotliCompressSync],
  ] as const) {
    it(`takes a ${encoding}-encoded batch`, async () => {
      const reply = await send(server.url, { body: encode(Buffer.from(json)), headers: headers({ 'content-encoding': encoding }) });
      assert.equal(reply.status, 200, reply.text);
      assert.equal(sink.deliveries[0].messages.length, 2);
    });
  }

  it('refuses an unknown content encoding with 415, and a corrupt gzip body with 400', async () => {
    assert.equal((await send(server.url, { body: json, headers: headers({ 'content-encoding': 'compress' }) })).status, 415);
    assert.equal((await send(server.url, { body: Buffer.from('not gzip'), headers: headers({ 'content-encoding': 'gzip' }) })).status, 400);
    assert.equal(sink.deliveries.length, 0);
  });

  it('counts the limit on the decoded size (a small gzip that inflates past the limit is 413)', async () => {
    const bomb = zlib.gzipSync(Buffer.from(JSON.stringify([remoteMessage({ padding: 'x'.repeat(50_000) } as never)])));
    assert.ok(bomb.length < 4096);
    assert.equal((await send(server.url, { body: bomb, headers: headers({ 'content-encoding': 'gzip' }) })).status, 413);
  });

  it('reads a chunked body sent in pieces, and answers 413 to a chunked body that grows past the limit', async () => {
    const post = (pieces: string[]): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = http.request(server.url, { method: 'POST', headers: headers(), agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        let i = 0;
        const next = (): void => {
          if (i === pieces.length) return void req.end();
          req.write(pieces[i++]);
          setTimeout(next, 5);
        };
        next();
      });
    assert.equal(await post([json.slice(0, 10), json.slice(10, 50), json.slice(50)]), 200);
    assert.equal(sink.deliveries.length, 1);
    const big = `[${Array.from({ length: 40 }, () => JSON.stringify(remoteMessage())).join(',')}]`;
    assert.equal(await post(Array.from({ length: 20 }, (_, k) => big.slice(k * 500, (k + 1) * 500)).concat(big.slice(10_000))), 413);
    assert.equal(sink.deliveries.length, 1);
  });
});
