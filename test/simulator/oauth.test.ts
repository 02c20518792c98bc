import { strict as assert } from 'assert';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { Client } from './harness';
import { sleep } from '../helpers/simulator';
import { perTest } from '../helpers/perTest';

function formFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) out[m[1]] = m[2].replace(/&#(\d+);/g, (_x, c) => String.fromCharCode(Number(c)));
  return out;
}

describe('simulator: OAuth2 server', () => {
  let sim: RunningSimulator;
  perTest(() => startSimulator({ timeScale: 0.001 }), (x) => x.stop(), (x) => (sim = x));

  function authorizeUrl(over: Record<string, string> = {}): string {
    const p = new URLSearchParams({
      response_type: 'code',
      client_id: sim.account.clientId,
      redirect_uri: sim.account.redirectUri,
      scope: 'openid profile remote:door:write',
      state: 'xyz-123',
      ...over,
    });
    return `${sim.oauthUrl}/authorize?${p.toString()}`;
  }

  async function login(): Promise<string> {
    const page = await fetch(authorizeUrl());
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<form method="post"/);
    assert.match(html, /Log in/);
    const fields = formFields(html);
    assert.equal(fields.username, sim.account.username, 'prefilled for the demo');
    assert.equal(fields.password, sim.account.password);
    const post = await fetch(`${sim.oauthUrl}/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
    assert.equal(post.status, 302);
    const location = new URL(post.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, sim.account.redirectUri);
    assert.equal(location.searchParams.get('state'), 'xyz-123');
    const code = location.searchParams.get('code');
    assert.ok(code);
    return code;
  }

  async function token(form: Record<string, string>, opts: { secret?: string; realm?: string | null } = {}) {
    const basic = Buffer.from(`${sim.account.clientId}:${opts.secret ?? sim.account.clientSecret}`).toString('base64');
    const realm = opts.realm === null ? '' : `?realm=${encodeURIComponent(opts.realm ?? sim.account.realm)}`;
    const res = await fetch(`${sim.oauthUrl}/access_token${realm}`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('code flow end to end: login page, code, token, API call, refresh rotation, old refresh token rejected', async () => {
    const code = await login();
    const t = await token({ grant_type: 'authorization_code', code, redirect_uri: sim.account.redirectUri }, { realm: null });
    assert.equal(t.status, 200);
    assert.equal(t.body.token_type, 'Bearer');
    assert.equal(t.body.expires_in, 3600);
    for (const k of ['access_token', 'refresh_token', 'id_token', 'scope']) assert.equal(typeof t.body[k], 'string', k);
    const client = new Client(sim, String(t.body.access_token));
    assert.equal((await client.b2c('GET', '/user')).status, 200);

    const r1 = await token({ grant_type: 'refresh_token', refresh_token: String(t.body.refresh_token) });
    assert.equal(r1.status, 200);
    assert.notEqual(r1.body.refresh_token, t.body.refresh_token, 'rotated');
    assert.notEqual(r1.body.access_token, t.body.access_token);
    const reused = await token({ grant_type: 'refresh_token', refresh_token: String(t.body.refresh_token) });
    assert.equal(reused.status, 400);
    assert.equal(reused.body.error, 'invalid_grant');
    const r2 = await token({ grant_type: 'refresh_token', refresh_token: String(r1.body.refresh_token) });
    assert.equal(r2.status, 200);
    client.token = String(r2.body.access_token);
    assert.equal((await client.b2c('GET', '/user/vehicles')).status, 200);
  });

  it('an authorization code works once', async () => {
    const code = await login();
    const form = { grant_type: 'authorization_code', code, redirect_uri: sim.account.redirectUri };
    assert.equal((await token(form)).status, 200);
    const again = await token(form);
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_grant');
  });

  it('rejects a redirect URI that does not match (token request and authorize page)', async () => {
    const code = await login();
    const bad = await token({ grant_type: 'authorization_code', code, redirect_uri: 'https://evil.example/cb' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'invalid_grant');
    const page = await fetch(authorizeUrl({ redirect_uri: 'https://evil.example/cb' }));
    assert.equal(page.status, 400);
    assert.match(await page.text(), /redirect_uri does not match/);
  });

  it('rejects a wrong client secret with 401 invalid_client, and never echoes the secret', async () => {
    const code = await login();
    const res = await token({ grant_type: 'authorization_code', code, redirect_uri: sim.account.redirectUri }, { secret: 'wrong-secret' });
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'invalid_client');
    assert.ok(!JSON.stringify(res.body).includes('wrong-secret'));
  });

  it('checks the realm on renewal: wrong realm and missing realm rejected', async () => {
    const t = sim.issueTokens();
    const wrong = await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token }, { realm: 'clientsB2COpel' });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error, 'invalid_request');
    const missing = await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token }, { realm: null });
    assert.equal(missing.status, 400);
    // the refresh token survived the rejected attempts
    assert.equal((await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token })).status, 200);
  });

  it('wrong password shows the form again with an error (401), no code', async () => {
    const fields = formFields(await (await fetch(authorizeUrl())).text());
    const res = await fetch(`${sim.oauthUrl}/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...fields, password: 'nope' }).toString(),
      redirect: 'manual',
    });
    assert.equal(res.status, 401);
    assert.match(await res.text(), /Wrong email or password/);
  });

  it('unknown grant type and unknown client_id on the login page', async () => {
    const res = await token({ grant_type: 'password', username: 'a', password: 'b' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'unsupported_grant_type');
    const page = await fetch(authorizeUrl({ client_id: 'someone-else' }));
    assert.equal(page.status, 400);
  });

  it('revokeRefreshTokens and expireAccessTokens', async () => {
    const t = sim.issueTokens();
    const client = new Client(sim, t.access_token);
    assert.equal((await client.b2c('GET', '/user')).status, 200);
    sim.control.expireAccessTokens();
    const expired = await client.b2c<{ code: number; message: string }>('GET', '/user');
    assert.equal(expired.status, 401);
    assert.match(expired.body.message, /expired/);
    sim.control.revokeRefreshTokens();
    const res = await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_grant');
  });

  it('access tokens expire after accessTokenTtlSeconds (real seconds)', async () => {
    const short = await startSimulator({ accessTokenTtlSeconds: 0.05 });
    try {
      const client = new Client(short);
      assert.equal((await client.b2c('GET', '/user')).status, 200);
      await sleep(80);
      assert.equal((await client.b2c('GET', '/user')).status, 401);
    } finally {
      await short.stop();
    }
  });

  it('the default redirect page shows the code', async () => {
    const code = await login();
    const page = await fetch(`${sim.account.redirectUri}?code=${code}&state=xyz-123`);
    assert.match(await page.text(), new RegExp(code));
  });
});
