import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StellantisClient } from '../../src/stellantis/client';
import {
  LoginExpiredError,
  NetworkError,
  NotLoggedInError,
  RemoteOutcomeUnknownError,
  StellantisApiError,
  TimeoutError,
} from '../../src/stellantis/errors';
import { OAuthTokenProvider } from '../../src/stellantis/auth';
import { MemoryTokenStore } from '../../src/stellantis/tokenStore';
import { rejection, startHarness, type Harness } from './clientHarness';

const LOCK = { label: 'lock', door: { state: 'Locked' as const } };

function assertNoSecrets(h: Harness, err: Error, extra: string[] = []): void {
  const text = `${err.message} ${JSON.stringify(err)} ${String(err.stack)}`;
  for (const secret of [h.sim.account.clientSecret, h.sim.account.password, ...extra]) {
    assert.ok(!text.includes(secret), `error text leaks a secret: ${err.message}`);
  }
  assert.doesNotMatch(text, /Bearer\s+sim-at-|Basic\s+[A-Za-z0-9+/=]{8,}/);
}

describe('stellantis/client: 401, token refresh and login errors', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.close());

  it('refreshes once and retries once after a 401: 2 API calls + 1 token call', async () => {
    const before = await h.store.load();
    h.sim.control.expireAccessTokens();
    const vehicles = await h.client.listVehicles();
    assert.equal(vehicles.length, 2);
    assert.deepEqual(
      h.sim.calls.map((c) => c.status),
      [401, 200],
    );
    assert.equal(h.tokenCalls('refresh_token'), 1);
    const after = await h.store.load();
    assert.notEqual(after?.refreshToken, before?.refreshToken, 'the rotated refresh token is saved');
    assert.notEqual(after?.accessToken, before?.accessToken);
  });

  it('retries a remote POST once after a 401 (it was not executed)', async () => {
    const { callbackId } = await h.client.createCallback({ label: 'x', callback: { webhook: { name: 'n', target: 'https://example.com/h' } } });
    h.sim.control.expireAccessTokens();
    const sent = await h.client.sendRemote(h.sim.vehicles[0].id, callbackId, LOCK);
    assert.ok(sent.remoteActionId);
    assert.deepEqual(
      h.sim.calls.filter((c) => c.path.endsWith('/remotes')).map((c) => c.status),
      [401, 202],
    );
    assert.equal(h.tokenCalls('refresh_token'), 1);
  });

  it('collapses concurrent 401s into one refresh', async () => {
    await h.client.getVehicle(h.sim.vehicles[0].id); // the token is loaded and in use
    h.sim.control.expireAccessTokens();
    const ids = [0, 1, 0, 1, 0].map((i) => h.sim.vehicles[i].id);
    const got = await Promise.all(ids.map((id) => h.client.getVehicleStatus(id)));
    assert.equal(got.length, 5);
    assert.equal(h.tokenCalls('refresh_token'), 1, 'one token call for five 401s');
    const statuses = h.sim.calls.slice(1).map((c) => c.status);
    assert.equal(statuses.filter((s) => s === 401).length, 5);
    assert.equal(statuses.filter((s) => s === 200).length, 5);
  });

  it('says to log in again when the refresh token is revoked', async () => {
    h.sim.control.expireAccessTokens();
    h.sim.control.revokeRefreshTokens();
    const stored = await h.store.load();
    const err = await rejection(() => h.client.listVehicles());
    assert.ok(err instanceof LoginExpiredError, err.message);
    assert.match(err.message, /log in again with `stellantis login`/);
    assert.equal(h.sim.calls.length, 1, 'no retry without a token');
    assert.equal(h.tokenCalls('refresh_token'), 1);
    assertNoSecrets(h, err, [stored?.refreshToken ?? '', stored?.accessToken ?? '']);
  });

  it('says to log in when no tokens are stored, without calling anything', async () => {
    const a = h.sim.account;
    const store = new MemoryTokenStore();
    const tokens = new OAuthTokenProvider({ oauth: { oauthUrl: h.sim.oauthUrl, clientId: a.clientId, clientSecret: a.clientSecret, realm: a.realm }, store });
    const client = new StellantisClient(h.config, { tokens });
    try {
      const err = await rejection(() => client.listVehicles());
      assert.ok(err instanceof NotLoggedInError);
      assert.match(err.message, /not logged in .*run `stellantis login`/);
      assert.equal(h.sim.calls.length, 0);
      assert.equal(h.tokenCalls(), 0);
    } finally {
      client.close();
    }
  });
});

describe('stellantis/client: 429 rate limits', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('waits Retry-After once, then succeeds', async () => {
    let limitedAt = 0;
    h = await startHarness({
      client: {
        onCall: (info) => {
          if (info.status === 429) {
            limitedAt = Date.now();
            h.sim.control.setRateLimit({ perSecond: 1000 });
          }
        },
      },
    });
    h.sim.control.setRateLimit({ perSecond: 0 });
    const vehicles = await h.client.listVehicles();
    const waited = Date.now() - limitedAt;
    assert.equal(vehicles.length, 2);
    assert.deepEqual(
      h.sim.calls.map((c) => c.status),
      [429, 200],
    );
    assert.ok(waited >= 1000, `waited ${waited} ms, Retry-After is 1 s`);
  });

  it('retries a remote POST refused with 429 once', async () => {
    h = await startHarness({
      client: { onCall: (info) => info.status === 429 && h.sim.control.setRateLimit({ perSecond: 1000 }) },
    });
    const { callbackId } = await h.client.createCallback({ label: 'x', callback: { webhook: { name: 'n', target: 'https://example.com/h' } } });
    h.sim.control.setRateLimit({ perSecond: 0 });
    const sent = await h.client.sendRemote(h.sim.vehicles[0].id, callbackId, LOCK);
    assert.ok(sent.remoteActionId);
    assert.deepEqual(
      h.sim.calls.filter((c) => c.path.endsWith('/remotes')).map((c) => c.status),
      [429, 202],
    );
  });

  it('retries only once: a second 429 is final and explained', async () => {
    h = await startHarness();
    h.sim.control.setRateLimit({ perSecond: 0 });
    const started = Date.now();
    const err = await rejection(() => h.client.getVehicle(h.sim.vehicles[0].id));
    assert.ok(err instanceof StellantisApiError);
    assert.equal(err.status, 429);
    assert.equal(err.retryAfterSeconds, 1);
    assert.match(err.explanation, /rate limit reached.*retry after 1 s/);
    assert.equal(h.sim.calls.length, 2);
    assert.ok(Date.now() - started >= 1000);
  });

  it('does not wait when Retry-After is beyond the cap (daily quota)', async () => {
    h = await startHarness({ client: { retry: { maxRetryAfterMs: 500 } } });
    h.sim.control.setRateLimit({ perDay: 0 });
    const started = Date.now();
    const err = await rejection(() => h.client.listVehicles());
    assert.ok(err instanceof StellantisApiError && err.status === 429);
    assert.ok((err.retryAfterSeconds ?? 0) >= 1);
    assert.equal(h.sim.calls.length, 1);
    assert.ok(Date.now() - started < 500, 'failed at once');
  });
});

describe('stellantis/client: 5xx, timeouts and lost connections', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ config: { requestTimeoutMs: 300 } });
  });
  afterEach(async () => h.close());

  async function callbackId(): Promise<string> {
    const ref = await h.client.createCallback({ label: 'x', callback: { webhook: { name: 'n', target: 'https://example.com/h' } } });
    return ref.callbackId;
  }

  it('retries a GET after 5xx, then succeeds', async () => {
    h.sim.control.failNext(2, 502);
    const status = await h.client.getVehicleStatus(h.sim.vehicles[0].id);
    assert.ok(status);
    assert.deepEqual(
      h.sim.calls.map((c) => c.status),
      [502, 502, 200],
    );
  });

  it('gives up a GET after 3 tries and explains the 5xx', async () => {
    h.sim.control.failNext(10);
    const err = await rejection(() => h.client.listVehicles());
    assert.ok(err instanceof StellantisApiError);
    assert.equal(err.status, 503);
    assert.match(err.explanation, /server error/);
    assert.equal(h.sim.calls.length, 3);
  });

  it('retries PUT and DELETE after 5xx (idempotent)', async () => {
    const id = await callbackId();
    h.sim.control.failNext(1);
    await h.client.setCallbackStatus(id, 'Paused');
    h.sim.control.failNext(1);
    await h.client.deleteCallback(id);
    assert.deepEqual(
      h.sim.calls.slice(1).map((c) => `${c.method} ${c.status}`),
      ['PUT 503', 'PUT 202', 'DELETE 503', 'DELETE 204'],
    );
  });

  it('never retries a remote POST answered 5xx', async () => {
    const id = await callbackId();
    h.sim.control.failNext(1, 500);
    const err = await rejection(() => h.client.sendRemote(h.sim.vehicles[0].id, id, LOCK));
    assert.ok(err instanceof StellantisApiError);
    assert.equal(err.status, 500);
    assert.equal(h.sim.callCount({ method: 'POST', pathIncludes: '/remotes' }), 1);
  });

  it('reports a remote POST that hangs as outcome unknown, after the timeout, without retry', async () => {
    const id = await callbackId();
    h.sim.control.hangNext(1);
    const started = Date.now();
    const err = await rejection(() => h.client.sendRemote(h.sim.vehicles[0].id, id, LOCK));
    const elapsed = Date.now() - started;
    assert.ok(err instanceof RemoteOutcomeUnknownError, err.message);
    assert.equal(err.reason, 'timeout');
    assert.equal(err.vehicleId, h.sim.vehicles[0].id);
    assert.match(err.message, /may or may not receive it/);
    assert.ok(elapsed >= 290 && elapsed < 1500, `took ${elapsed} ms for a 300 ms timeout`);
    assert.equal(h.sim.callCount({ method: 'POST', pathIncludes: '/remotes' }), 1);
    assertNoSecrets(h, err);
  });

  it('honours the timeout on a read (TimeoutError, not retried)', async () => {
    h.sim.control.hangNext(1);
    const started = Date.now();
    const err = await rejection(() => h.client.getVehicle(h.sim.vehicles[0].id));
    const elapsed = Date.now() - started;
    assert.ok(err instanceof TimeoutError, err.message);
    assert.match(err.message, /no answer within 300 ms \(raise requestTimeoutMs/);
    assert.ok(elapsed >= 290 && elapsed < 1500, `took ${elapsed} ms`);
    assert.equal(h.sim.calls.length, 1);
  });

  it('waits for a slow answer that comes within the timeout', async () => {
    h.sim.control.delayNext(1, 150);
    const vehicles = await h.client.listVehicles();
    assert.equal(vehicles.length, 2);
    assert.equal(h.sim.calls.length, 1);
  });
});

/**
 * The simulator has no knob that resets a connection, so this one edge case uses a raw loopback
 * server that destroys every socket as soon as a request arrives.
 */
describe('stellantis/client: connection lost (raw resetting server)', () => {
  let server: http.Server;
  let hits = 0;
  let baseUrl = '';

  before(async () => {
    server = http.createServer((req) => {
      hits++;
      req.socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/connectedcar/v3`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    hits = 0;
  });

  function fleetClient(url = baseUrl): StellantisClient {
    return new StellantisClient(
      { flavour: 'b2b', clientId: 'cid', fleetId: 'F1', username: 'u', password: 'the-fleet-password', baseUrl: url, requestTimeoutMs: 1000 },
      { retry: { baseDelayMs: 5 } },
    );
  }

  it('reports a remote POST whose connection was reset as outcome unknown, sent once', async () => {
    const client = fleetClient();
    try {
      const err = await rejection(() => client.sendRemote('V1', 'CB1', LOCK));
      assert.ok(err instanceof RemoteOutcomeUnknownError, err.message);
      assert.equal(err.reason, 'connection-lost');
      assert.equal(hits, 1);
      assert.ok(!err.message.includes('the-fleet-password'));
    } finally {
      client.close();
    }
  });

  it('retries a GET after a reset, 3 tries, then a NetworkError', async () => {
    const client = fleetClient();
    try {
      const err = await rejection(() => client.listVehicles());
      assert.ok(err instanceof NetworkError, err.message);
      assert.match(err.message, /connection to 127\.0\.0\.1:\d+ was lost/);
      assert.equal(hits, 3);
      assert.equal(client.callCount, 3);
    } finally {
      client.close();
    }
  });

  it('explains a refused connection; a remote that never left is a NetworkError', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = fleetClient(`http://127.0.0.1:${port}/connectedcar/v3`);
    try {
      const err = await rejection(() => client.sendRemote('V1', 'CB1', LOCK));
      assert.ok(err instanceof NetworkError, err.message);
      assert.equal(err.code, 'ECONNREFUSED');
      assert.match(err.message, /connection refused\): check baseUrl/);
      assert.equal(client.callCount, 1);
    } finally {
      client.close();
    }
  });
});
