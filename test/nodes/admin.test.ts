/**
 * The editor helpers behind RED.httpAdmin: the vehicle picker and the login flow (authorization
 * page of the simulator followed for real, pasted redirect, tokens stored 0600 where the engine
 * reads them, the account restarting by itself), with their error answers.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { accountKeyOf } from '../../src/engine/storageFiles';
import { FileTokenStore } from '../../src/stellantis/tokenStore';
import type { RunningSimulator } from '../../src/simulator';
import { testPki } from '../helpers/certs';
import * as h from './harness';

interface Answer {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

interface Call extends PromiseLike<Answer> {
  send(body: unknown): Call;
  type(contentType: string): Call;
}

interface Agent {
  get(path: string): Call;
  post(path: string): Call;
}

function admin(): Agent {
  return h.helper.request() as Agent;
}

/** Logs in on the simulator's authorization page like a browser would; returns where it redirected. */
async function logInAt(url: string): Promise<string> {
  const page = await (await fetch(url)).text();
  const form = new URLSearchParams();
  for (const m of page.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) {
    form.set(m[1], m[2].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
  }
  const action = new URL('authorize', url).toString();
  const res = await fetch(action, { method: 'POST', body: form, redirect: 'manual' });
  assert.equal(res.status, 302, await res.text());
  return res.headers.get('location') ?? '';
}

/** A login server an attacker runs: it records every request it gets. */
async function attackerServer(): Promise<{ url: string; received: string[]; close(): Promise<void> }> {
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    received.push(`${req.method ?? ''} ${req.url ?? ''} ${req.headers.authorization ?? ''}`);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: 'attacker-access', refresh_token: 'attacker-refresh', expires_in: 3600 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/am/oauth2`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('stellantis-account editor helpers (RED.httpAdmin)', function () {
  this.timeout(30_000);
  let sim: RunningSimulator;

  h.useNodeRed({ started: (setUp) => ({ sim } = setUp) });

  it('fills the vehicle picker from the account, and says to deploy first when it is not', async () => {
    h.freshSettings();
    await h.load([h.simAccount('acc', { vehicles: [{ id: sim.vehicles[0].id, name: 'Blue car' }] })]);
    await h.accountReady('acc');
    const res = await admin().get('/stellantis/accounts/acc/vehicles');
    assert.equal(res.status, 200);
    const vehicles = res.body.vehicles as Array<Record<string, unknown>>;
    assert.deepEqual(vehicles.map((v) => v.id).sort(), sim.vehicles.map((v) => v.id).sort());
    assert.equal(vehicles.find((v) => v.id === sim.vehicles[0].id)?.name, 'Blue car');
    assert.equal(vehicles[0].vin !== undefined, true);

    const info = await admin().get('/stellantis/accounts/acc');
    assert.equal(info.body.state, 'ready');
    assert.match(String(info.body.webhookUrl), /\/red\/stellantis\/webhook\/acc$/);

    const missing = await admin().get('/stellantis/accounts/nothere/vehicles');
    assert.equal(missing.status, 409);
    assert.match(String(missing.body.error), /not deployed yet: deploy it \(and log in\)/);
  });

  it('tests the connection of the deployed account (the doctor): each check with its result, JSON only, no secret', async () => {
    h.freshSettings();
    await h.load([h.simAccount('acc', { vehicles: [{ id: sim.vehicles[0].id, name: 'Blue car' }] })]);
    await h.accountReady('acc');
    const refused = await admin().post('/stellantis/accounts/acc/doctor').type('form').send('x=1');
    assert.equal(refused.status, 415, 'JSON only, like the logins');
    const remotesBefore = sim.callCount({ method: 'POST', pathIncludes: '/remotes' });
    const apiBefore = sim.calls.length;
    const res = await admin().post('/stellantis/accounts/acc/doctor').send({});
    assert.equal(res.status, 200, res.text);
    const checks = res.body.checks as Array<{ id: string; ok: boolean | 'skipped'; detail: string; fix?: string }>;
    const byId = new Map(checks.map((c) => [c.id, c]));
    for (const id of ['config', 'token', 'api', 'vehicles']) assert.equal(byId.get(id)?.ok, true, `${id}: ${JSON.stringify(byId.get(id))}`);
    assert.ok(checks.every((c) => typeof c.detail === 'string' && c.detail !== ''), 'every check says what it found');
    assert.ok(checks.filter((c) => c.ok === false).every((c) => typeof c.fix === 'string'), 'every failed check says what to do');
    assert.equal(typeof res.body.ok, 'boolean');
    assert.equal(sim.callCount({ method: 'POST', pathIncludes: '/remotes' }), remotesBefore, 'no remote sent');
    const calls = res.body.calls as { api: number };
    assert.equal(sim.calls.length - apiBefore, calls.api, 'the API calls it reports are the ones it made');
    assert.ok(calls.api <= 4, `a few API calls only (${calls.api})`);
    assert.ok(!res.text.includes(sim.account.clientSecret), 'no secret in the answer');

    const missing = await admin().post('/stellantis/accounts/nothere/doctor').send({});
    assert.equal(missing.status, 409);
    assert.match(String(missing.body.error), /not deployed yet: deploy it, then press Test connection again/);
  });

  it('never sends the deployed client secret elsewhere: JSON only, the deployed login server only, the state always', async () => {
    const dir = h.freshSettings();
    const { clientId, clientSecret, redirectUri } = sim.account;
    await h.load([{ id: 'guarded', type: 'stellantis-account', flavour: 'b2c', brand: 'peugeot', clientId, redirectUri, oauthUrl: sim.oauthUrl }], {
      guarded: { clientSecret },
    });
    const attacker = await attackerServer();
    try {
      const evil = { flavour: 'b2c', brand: 'peugeot', clientId, redirectUri, oauthUrl: attacker.url };
      // What a cross-site form can send: refused before anything is read.
      let res = await admin().post('/stellantis/accounts/guarded/login/start').type('form').send(new URLSearchParams(evil).toString());
      assert.equal(res.status, 415, res.text);
      assert.match(String(res.body.error), /as JSON/);
      res = await admin().post('/stellantis/accounts/guarded/login/finish').type('form').send('redirect=stolen-code');
      assert.equal(res.status, 415);

      // Another login server with no secret of its own (or the placeholder of the deployed one): refused.
      for (const body of [evil, { ...evil, clientSecret: '__PWRD__' }]) {
        res = await admin().post('/stellantis/accounts/guarded/login/start').send(body);
        assert.equal(res.status, 400, res.text);
        assert.match(String(res.body.error), /differs from the deployed ones: type the client secret/);
      }
      res = await admin().post('/stellantis/accounts/guarded/login/finish').send({ ...evil, redirect: 'stolen-code' });
      assert.equal(res.status, 409, 'no login was started');
      // Nor with another client id at the deployed server.
      res = await admin().post('/stellantis/accounts/guarded/login/start').send({ ...evil, oauthUrl: sim.oauthUrl, clientId: 'someone-else' });
      assert.equal(res.status, 400);

      // A login at the deployed server (the unchanged secret comes as the placeholder): the pasted answer must carry its state.
      const own = { ...evil, oauthUrl: `${sim.oauthUrl}/`, clientSecret: '__PWRD__' };
      res = await admin().post('/stellantis/accounts/guarded/login/start').send(own);
      assert.equal(res.status, 200, res.text);
      const landing = new URL(await logInAt(String(res.body.url)));
      const code = landing.searchParams.get('code') ?? '';
      for (const redirect of [code, `${redirectUri}?code=${code}`, `${redirectUri}?%63ode=${code}`]) {
        res = await admin().post('/stellantis/accounts/guarded/login/finish').send({ ...own, redirect });
        assert.equal(res.status, 400, redirect);
        assert.match(String(res.body.error), /with its state|another login attempt/);
      }
      const storageDir = path.join(dir, 'stellantis', 'guarded');
      const tokenFiles = (): string[] => (fs.existsSync(storageDir) ? fs.readdirSync(storageDir).filter((f) => f.startsWith('tokens-')) : []);
      assert.deepEqual(tokenFiles(), [], 'no tokens stored');
      // With its state, the deployed secret goes to the deployed server: logged in.
      res = await admin().post('/stellantis/accounts/guarded/login/finish').send({ ...own, redirect: landing.toString() });
      assert.equal(res.status, 200, res.text);
      assert.equal(tokenFiles().length, 1);
      assert.deepEqual(attacker.received, [], 'the attacker got nothing');
    } finally {
      await attacker.close();
    }
  });

  it('logs in from the editor: authorization page, pasted redirect, tokens stored 0600 for the engine, account started', async () => {
    const dir = h.freshSettings();
    const pki = await testPki();
    fs.writeFileSync(path.join(dir, 'client.pem'), pki.client.cert);
    fs.writeFileSync(path.join(dir, 'client.key'), pki.client.key);
    const { clientId, clientSecret, redirectUri, realm } = sim.account;
    await h.load(
      [
        {
          id: 'real',
          type: 'stellantis-account',
          flavour: 'b2c',
          brand: 'peugeot',
          clientId,
          redirectUri,
          certFile: 'client.pem',
          keyFile: 'client.key',
          // A base nothing listens on: the account starts, its API calls fail fast and are retried later.
          baseUrl: 'https://127.0.0.1:9/connectedcar/v4',
          publicUrl: 'https://cars.example.org',
          monitors: false,
        },
      ],
      { real: { clientSecret } },
    );
    await h.until(() => h.account('real').state.state === 'needs-login', 5000, 'needs-login');

    // Mistakes first: each answer says what to do.
    let res = await admin().post('/stellantis/accounts/real/login/finish').send({ redirect: 'https://x/?code=1&state=2' });
    assert.equal(res.status, 409);
    assert.match(String(res.body.error), /no login in progress/);
    res = await admin().post('/stellantis/accounts/real/login/start').send({ brand: 'peugeot', clientId });
    assert.equal(res.status, 400);
    assert.match(String(res.body.error), /Redirect URI is empty/);

    // The editor sends the dialog's values. The login server typed there is not the deployed one (the
    // brand's), so the secret is typed too: the deployed one would not be sent there.
    const fields = { flavour: 'b2c', brand: 'peugeot', clientId, redirectUri, oauthUrl: sim.oauthUrl, clientSecret };
    res = await admin().post('/stellantis/accounts/real/login/start').send(fields);
    assert.equal(res.status, 200, res.text);
    const url = String(res.body.url);
    assert.ok(url.startsWith(`${sim.oauthUrl}/authorize?`), url);
    const landing = await logInAt(url);
    assert.ok(landing.startsWith(redirectUri), landing);

    // A redirect of another login attempt is refused.
    const forged = new URL(landing);
    forged.searchParams.set('state', 'someone-else');
    res = await admin().post('/stellantis/accounts/real/login/finish').send({ ...fields, redirect: forged.toString() });
    assert.equal(res.status, 400);
    assert.match(String(res.body.error), /another login attempt/);

    res = await admin().post('/stellantis/accounts/real/login/finish').send({ ...fields, redirect: landing });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.ok, true);
    assert.match(String(res.body.message), /logged in: tokens stored/);

    const storageDir = path.join(dir, 'stellantis', 'real');
    const store = new FileTokenStore(storageDir, accountKeyOf({ flavour: 'b2c', clientId, realm }));
    const tokens = await store.load();
    assert.ok(tokens?.refreshToken, 'the tokens are where the engine reads them');
    assert.equal(fs.statSync(store.file).mode & 0o777, 0o600);
    assert.ok(!res.text.includes(tokens.refreshToken) && !res.text.includes(tokens.accessToken), 'no token in the answer');
    assert.ok(!res.text.includes(clientSecret));

    await h.until(() => h.account('real').state.state === 'ready', 10_000, 'the account to start after the login').catch((e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify(h.account('real').state)}`);
    });
  });
});
