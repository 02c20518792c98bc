import { strict as assert } from 'assert';
import { request } from 'node:https';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { testPki } from '../helpers/certs';
import { Client, sleep } from './harness';

type ErrorShape = { code: number; uuid: string; message: string; timestamp: string };

function assertErrorShape(status: number, body: unknown): ErrorShape {
  const e = body as ErrorShape;
  assert.deepEqual(Object.keys(e).sort(), ['code', 'message', 'timestamp', 'uuid']);
  assert.equal(Math.floor(e.code / 100), status, `code ${e.code} starts with ${status}`);
  assert.ok(e.code >= status * 100 && e.code < status * 100 + 100);
  assert.match(e.uuid, /^[0-9a-f-]{36}$/);
  assert.ok(!Number.isNaN(Date.parse(e.timestamp)));
  assert.ok(e.message.length > 0);
  return e;
}

describe('simulator: API gateway checks and errors', () => {
  let sim: RunningSimulator;
  let client: Client;
  beforeEach(async () => {
    sim = await startSimulator({ timeScale: 0.001 });
    client = new Client(sim);
  });
  afterEach(async () => {
    await sim.stop();
  });

  it('401: missing bearer, unknown token, wrong client_id, missing client_id, wrong realm', async () => {
    const cases: Array<[string, Parameters<Client['b2c']>[3]]> = [
      ['no bearer', { headers: { authorization: '' } }],
      ['unknown token', { headers: { authorization: 'Bearer not-a-token' } }],
      ['wrong client_id', { query: 'client_id=someone-else' }],
      ['missing client_id', { query: 'x=1' }],
      ['wrong realm', { headers: { 'x-introspect-realm': 'clientsB2COpel' } }],
      ['missing realm', { headers: { 'x-introspect-realm': '' } }],
    ];
    for (const [what, extra] of cases) {
      const res = await client.b2c('GET', '/user/vehicles', undefined, extra);
      assert.equal(res.status, 401, what);
      const e = assertErrorShape(401, res.body);
      assert.ok(!e.message.includes(client.token), 'no token in messages');
    }
  });

  it('403 for a known vehicle of another account, 404 (40499) for an unknown id', async () => {
    const foreign = await client.b2c('GET', `/user/vehicles/${sim.foreignVehicleId}/status`);
    assert.equal(foreign.status, 403);
    assertErrorShape(403, foreign.body);
    const unknown = await client.b2c('GET', '/user/vehicles/0000/status');
    assert.equal(unknown.status, 404);
    assert.equal(assertErrorShape(404, unknown.body).code, 40499);
    const noRoute = await client.b2c('GET', '/user/nothing-here');
    assert.equal(noRoute.status, 404);
    assertErrorShape(404, noRoute.body);
  });

  it('400 for invalid remote bodies, naming the problem', async () => {
    const cbid = await client.createCallback('http://127.0.0.1:9/hook');
    const v = sim.vehicles[0].id;
    const points = (n: number) => Array.from({ length: n }, () => ({ type: 'Point', coordinates: [2.3, 48.8] }));
    const bad: Array<[unknown, RegExp]> = [
      [{ door: { state: 'Open' } }, /door\.state/],
      [{ fly: { to: 'moon' } }, /unknown remote action "fly"/],
      [{ door: { state: 'Locked' }, horn: { state: 'Activated' } }, /exactly one/],
      [{ label: 'nothing' }, /no remote action/],
      [{ navigation: { positions: points(11) } }, /11 points/],
      [{ navigation: { positions: [{ type: 'Point', coordinates: [2.3] }] } }, /coordinates/],
      [{ preconditioning: { airConditioning: { programs: [{ slot: 5, start: 'PT7H' }] } } }, /slot/],
      [{ preconditioning: { airConditioning: { programs: [{ slot: 1, start: '07:30' }] } } }, /ISO 8601/],
      [{ charging: { preferences: { level: 'Level9' } } }, /charging\.preferences\.level/],
      [{ charging: {} }, /charging needs/],
      [{ lights: { on: 'yes' } }, /lights\.on/],
      [{ immobilization: { activate: true } }, /fleet API only/],
      [[{ door: { state: 'Locked' } }], /body must be an object/],
    ];
    for (const [body, message] of bad) {
      const res = await client.remote(v, cbid, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(assertErrorShape(400, res.body).message, message);
    }
    const nav10 = await client.remote(v, cbid, { navigation: { positions: points(10) } });
    assert.equal(nav10.status, 202, 'ten points are fine');
  });

  it('400 for invalid JSON and invalid callback bodies', async () => {
    const res = await fetch(`${sim.b2cBaseUrl}/user/callbacks?client_id=${sim.account.clientId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${client.token}`, 'x-introspect-realm': sim.account.realm, 'content-type': 'application/json' },
      body: '{"label": ',
    });
    assert.equal(res.status, 400);
    assertErrorShape(400, await res.json());
    const noTarget = await client.b2c('POST', '/user/callbacks', { callback: { webhook: { name: 'x', target: 'not a url' } } });
    assert.equal(noTarget.status, 400);
    assert.match(assertErrorShape(400, noTarget.body).message, /target/);
  });

  it('rate limits: headers on every response, 429 with Retry-After per second and per day', async () => {
    sim.control.setRateLimit({ perSecond: 3, perDay: 1000 });
    await sleep(1000 - (Date.now() % 1000) + 5); // start of a fresh second
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await client.b2c('GET', '/user'));
    assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 429]);
    assert.deepEqual(answers.map((a) => a.headers.get('x-ratelimit-remaining-1')), ['2', '1', '0', '0']);
    for (const a of answers) {
      assert.equal(a.headers.get('x-ratelimit-limit-1'), '3');
      assert.equal(a.headers.get('x-ratelimit-limit-2'), '1000');
      assert.ok(a.headers.get('x-ratelimit-remaining-2'));
    }
    assert.equal(answers[3].headers.get('retry-after'), '1');
    assertErrorShape(429, answers[3].body);
    sim.control.setRateLimit({ perSecond: 100, perDay: 0 });
    const day = await client.b2c('GET', '/user');
    assert.equal(day.status, 429);
    assert.ok(Number(day.headers.get('retry-after')) >= 1);
    assert.match((day.body as ErrorShape).message, /per day/);
  });

  it('failNext answers 5xx with the error shape, then recovers', async () => {
    sim.control.failNext(2, 502);
    const a = await client.b2c('GET', '/user');
    const b = await client.b2c('GET', '/user');
    const c = await client.b2c('GET', '/user');
    assert.deepEqual([a.status, b.status, c.status], [502, 502, 200]);
    assertErrorShape(502, a.body);
    sim.control.failNext(1);
    assert.equal((await client.b2c('GET', '/user')).status, 503);
  });

  it('delayNext delays the answer by real ms; hangNext never answers', async () => {
    sim.control.delayNext(1, 150);
    const t0 = Date.now();
    assert.equal((await client.b2c('GET', '/user')).status, 200);
    assert.ok(Date.now() - t0 >= 140);
    sim.control.hangNext(1);
    const hung = await Promise.race([client.b2c('GET', '/user').then(() => 'answered', () => 'error'), sleep(200).then(() => 'hung')]);
    assert.equal(hung, 'hung');
    assert.equal((await client.b2c('GET', '/user')).status, 200, 'only the next one hangs');
  });

  it('records every API call (not OAuth, not control) for counting', async () => {
    await client.b2c('GET', '/user/vehicles');
    await client.b2c('GET', `/user/vehicles/${sim.vehicles[0].id}/status`);
    await client.b2c('GET', '/user/vehicles', undefined, { headers: { authorization: '' } });
    await fetch(`${sim.url}/_simulator/state`);
    await fetch(`${sim.oauthUrl}/access_token`, { method: 'POST' });
    assert.equal(sim.calls.length, 3);
    assert.equal(sim.callCount({ pathIncludes: '/status' }), 1);
    assert.equal(sim.callCount({ method: 'get' }), 3);
    const [first, , third] = sim.calls;
    assert.equal(first.path, '/connectedcar/v4/user/vehicles');
    assert.equal(first.status, 200);
    assert.equal(first.hasBearer, true);
    assert.equal(first.realm, sim.account.realm);
    assert.equal(first.clientId, sim.account.clientId);
    assert.deepEqual(first.query, { client_id: sim.account.clientId });
    assert.equal(third.status, 401);
    assert.equal(third.hasBearer, false);
  });

  it('B2B: Basic auth required, wrong fleet 403, stolen and immobilization accepted', async () => {
    const fid = sim.account.fleetId;
    const wrong = await client.b2b('GET', `/fleets/${fid}/vehicles`, undefined, Buffer.from('a:b').toString('base64'));
    assert.equal(wrong.status, 401);
    assertErrorShape(401, wrong.body);
    const other = await client.b2b('GET', '/fleets/OTHER/vehicles');
    assert.equal(other.status, 403);
    const list = await client.b2b<{ total: number }>('GET', `/fleets/${fid}/vehicles`);
    assert.equal(list.status, 200);
    assert.equal(list.body.total, 2);
    const cb = await client.b2b<{ callbackId: string }>('POST', `/fleets/${fid}/remote/callbacks`, {
      label: 'fleet',
      remoteTypes: ['Stolen', 'Immobilization', 'Doors'],
      retryPolicy: { policy: 'None' },
      callback: { webhook: { name: 'h', target: 'http://127.0.0.1:9/hook' } },
    });
    assert.equal(cb.status, 200);
    const v = sim.vehicles[1].id;
    const stolen = await client.b2b<{ type: string }>('POST', `/fleets/${fid}/vehicles/${v}/callbacks/${cb.body.callbackId}/remotes`, { stolen: { stolen: true } });
    assert.equal(stolen.status, 202);
    assert.equal(stolen.body.type, 'Stolen');
    const horn = await client.b2b('POST', `/fleets/${fid}/vehicles/${v}/callbacks/${cb.body.callbackId}/remotes`, { horn: { state: 'Activated' } });
    assert.equal(horn.status, 400, 'Horn is not in the callback remoteTypes');
    // the B2C token does not open B2B
    const bearer = await fetch(`${sim.b2bBaseUrl}/fleets/${fid}/vehicles?client_id=${sim.account.clientId}`, { headers: { authorization: `Bearer ${client.token}` } });
    assert.equal(bearer.status, 401);
  });

  it('the HTTP control endpoint reaches the knobs and reports state', async () => {
    const post = (knob: string, body: unknown) =>
      fetch(`${sim.url}/_simulator/control/${knob}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await post('failNext', { count: 1, status: 500 })).status, 200);
    assert.equal((await client.b2c('GET', '/user')).status, 500);
    const id = sim.vehicles[0].id;
    assert.equal((await post('setVehicle', { id, patch: { online: false, level: 12 } })).status, 200);
    assert.equal(sim.vehicle(id).online, false);
    assert.equal((await post('setVehicle', { id, patch: { vin: 'X' } })).status, 400);
    assert.equal((await post('nope', {})).status, 404);
    const state = (await (await fetch(`${sim.url}/_simulator/state`)).json()) as { vehicles: Array<{ id: string; state: { level: number } }>; counters: { calls: number } };
    assert.equal(state.vehicles[0].state.level, 12);
    assert.equal(state.counters.calls, 1);
  });
});

describe('simulator: HTTPS and mutual TLS', () => {
  let sim: RunningSimulator;
  afterEach(async () => {
    await sim?.stop();
  });

  function get(url: string, tls: { cert?: string; key?: string; ca: string }): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = request(url, { ...tls, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('API calls without a client certificate signed by the CA get 403; with one they pass', async () => {
    const pki = await testPki();
    sim = await startSimulator({ tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestClientCert: true } });
    assert.match(sim.url, /^https:/);
    const token = sim.issueTokens().access_token;
    const url = `${sim.b2cBaseUrl}/user?client_id=${sim.account.clientId}`;
    const withHeaders = (extra: { cert?: string; key?: string }) =>
      new Promise<number>((resolve, reject) => {
        const req = request(url, { ca: pki.ca.cert, agent: false, ...extra, headers: { authorization: `Bearer ${token}`, 'x-introspect-realm': sim.account.realm } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    assert.equal(await withHeaders({}), 403);
    assert.equal(await withHeaders({ cert: pki.stranger.cert, key: pki.stranger.key }), 403);
    assert.equal(await withHeaders({ cert: pki.client.cert, key: pki.client.key }), 200);
    // the login page stays reachable without a client certificate
    assert.equal(await get(`${sim.oauthUrl}/authorize?response_type=code&client_id=${sim.account.clientId}&redirect_uri=${encodeURIComponent(sim.account.redirectUri)}`, { ca: pki.ca.cert }), 200);
  });
});
