/** The router inside a host app it does not control (Node-RED's httpNode): it must neither depend on nor disturb it. */
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createWebhookRouter } from '../../src/webhook';
import { requireFromNodeRed } from '../helpers/hostModules';
import { postJson, RecordingLogger, RecordingSink, remoteMessage, SECRET, SECRET_HEADER, send } from './support';

describe('webhook router mounted in a host app', () => {
  let server: http.Server | undefined;

  async function serve(app: express.Express): Promise<string> {
    server = http.createServer(app);
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  afterEach(async () => {
    const s = server;
    server = undefined;
    if (s) {
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    }
  });

  it("leaves the host's other routes and its error handling alone", async () => {
    const sink = new RecordingSink();
    const app = express();
    app.use((req: Request, _res: Response, next: NextFunction) => next(req.path === '/boom' ? new Error('host failure') : undefined));
    app.use(createWebhookRouter({ path: '/stellantis/webhook', secret: SECRET, sink }));
    app.get('/other', (_req, res) => {
      res.type('text').send('host route');
    });
    app.post('/stellantis/webhook-like', (_req, res) => {
      res.status(202).end();
    });
    app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
      res.status(418).json({ host: err.message });
    });
    const base = await serve(app);
    assert.equal((await send(`${base}/other`)).text, 'host route');
    assert.equal((await send(`${base}/stellantis/webhook-like`, { body: 'x' })).status, 202);
    assert.deepEqual((await send(`${base}/boom`)).json, { host: 'host failure' });
    assert.equal((await postJson(`${base}/stellantis/webhook`, remoteMessage())).status, 200);
    assert.equal(sink.deliveries.length, 1);
  });

  it("uses its own trustProxy, not the host's 'trust proxy' setting", async () => {
    const sink = new RecordingSink();
    const app = express();
    app.set('trust proxy', true);
    app.use(createWebhookRouter({ path: '/a', secret: SECRET, sink }));
    app.use(createWebhookRouter({ path: '/b', secret: SECRET, sink, trustProxy: 1 }));
    const base = await serve(app);
    const hop = { 'x-forwarded-for': '192.0.2.1, 198.51.100.20' };
    await postJson(`${base}/a`, remoteMessage(), hop);
    await postJson(`${base}/b`, remoteMessage(), hop);
    assert.deepEqual(
      sink.deliveries.map((d) => d.meta.remoteAddress),
      ['127.0.0.1', '198.51.100.20'],
    );
  });

  it('works behind a host that already parsed JSON bodies', async () => {
    const sink = new RecordingSink();
    const app = express();
    app.use(express.json());
    app.use(createWebhookRouter({ path: '/hook', secret: SECRET, sink }));
    const base = await serve(app);
    const batch = [remoteMessage({}, 'Accepted'), remoteMessage()];
    assert.equal((await postJson(`${base}/hook`, batch)).status, 200);
    assert.deepEqual(sink.messages, batch);
  });

  it("is not fooled by an Express 4 host parser that skipped the request (Node-RED's Express)", async () => {
    const sink = new RecordingSink();
    const express4 = requireFromNodeRed<typeof express>('express');
    const app = express4();
    app.use(express4.urlencoded({ extended: false }));
    app.use(createWebhookRouter({ path: '/hook', secret: SECRET, sink }));
    const base = await serve(app);
    const message = remoteMessage();
    assert.equal((await postJson(`${base}/hook`, message)).status, 200);
    assert.deepEqual(sink.messages, [message]);
  });

  it('keeps two listeners (two accounts) apart on one host', async () => {
    const first = new RecordingSink();
    const second = new RecordingSink();
    const logger = new RecordingLogger();
    const app = express();
    app.use(createWebhookRouter({ path: '/one', secret: SECRET, sink: first, logger }));
    app.use(createWebhookRouter({ path: '/two', secret: 'another-secret-of-enough-length-123', sink: second, logger }));
    const base = await serve(app);
    assert.equal((await postJson(`${base}/one`, remoteMessage())).status, 200);
    assert.equal((await postJson(`${base}/two`, remoteMessage())).status, 401);
    const ok = await send(`${base}/two`, {
      body: remoteMessage(),
      headers: { 'content-type': 'application/json', [SECRET_HEADER]: 'another-secret-of-enough-length-123' },
    });
    assert.equal(ok.status, 200);
    assert.equal(first.deliveries.length, 1);
    assert.equal(second.deliveries.length, 1);
    assert.deepEqual((await send(`${base}/one/health`)).json, { status: 'ok' });
  });
});
