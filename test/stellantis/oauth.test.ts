import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OAuthTokenProvider } from '../../src/stellantis/auth';
import { StellantisClient } from '../../src/stellantis/client';
import { LoginExpiredError, NotLoggedInError, OAuthError } from '../../src/stellantis/errors';
import { DEFAULT_SCOPES, REMOTE_SCOPES, buildAuthorizationUrl, exchangeCode, parseRedirect, readPasted, refreshTokens, type OAuthClientConfig } from '../../src/stellantis/oauth';
import { FileTokenStore, MemoryTokenStore } from '../../src/stellantis/tokenStore';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { rejection } from './clientHarness';

describe('stellantis/oauth: authorization URL and pasted redirect', () => {
  it('builds the authorize URL with every remote scope and a random state', () => {
    const a = buildAuthorizationUrl({ oauthUrl: 'https://idpcvs.peugeot.com/am/oauth2/', clientId: 'cid', redirectUri: 'https://app.example/cb' });
    const b = buildAuthorizationUrl({ oauthUrl: 'https://idpcvs.peugeot.com/am/oauth2', clientId: 'cid', redirectUri: 'https://app.example/cb', locale: 'fr-FR' });
    const url = new URL(a.url);
    assert.equal(url.origin + url.pathname, 'https://idpcvs.peugeot.com/am/oauth2/authorize');
    assert.equal(url.searchParams.get('response_type'), 'code');
    assert.equal(url.searchParams.get('client_id'), 'cid');
    assert.equal(url.searchParams.get('redirect_uri'), 'https://app.example/cb');
    const scopes = (url.searchParams.get('scope') ?? '').split(' ');
    assert.deepEqual(scopes.slice(0, 2), ['openid', 'profile']);
    for (const s of REMOTE_SCOPES) assert.ok(scopes.includes(s), s);
    assert.equal(scopes.length, 9);
    assert.equal(url.searchParams.get('state'), a.state);
    assert.ok(a.state.length >= 16);
    assert.notEqual(a.state, b.state);
    assert.equal(url.searchParams.get('locale'), null);
    assert.equal(new URL(b.url).searchParams.get('locale'), 'fr-FR');
    const custom = buildAuthorizationUrl({ oauthUrl: 'https://x/am/oauth2', clientId: 'c', redirectUri: 'r://x', scopes: ['openid'] });
    assert.equal(new URL(custom.url).searchParams.get('scope'), 'openid');
    assert.deepEqual(DEFAULT_SCOPES.slice(2), [...REMOTE_SCOPES]);
  });

  it('takes the code from a pasted redirect URL and checks the state', () => {
    assert.equal(parseRedirect('  https://app.example/cb?code=abc123&state=s1 \n', 's1'), 'abc123');
    assert.equal(parseRedirect('mymap://oauth2redirect/fr?code=c-9_x&state=s1', 's1'), 'c-9_x');
    assert.equal(parseRedirect('https://app.example/cb#code=frag&state=s1', 's1'), 'frag');
    assert.equal(parseRedirect('?code=q1&state=s1', 's1'), 'q1');
    assert.throws(() => parseRedirect('https://app.example/cb?code=abc&state=other', 's1'), /another login attempt \(state does not match\)/);
    assert.throws(() => parseRedirect('https://app.example/cb?code=abc', 's1'), /state does not match/);
  });

  it('reads a pasted address once, as a URL: an encoded key is still the code, and its state is always checked', () => {
    // `%63ode` is `code` once decoded: the state check applies to it as to any address.
    assert.deepEqual(readPasted('https://app.example/cb?%63ode=abc&state=s1'), { kind: 'address', code: 'abc', state: 's1' });
    assert.throws(() => parseRedirect('https://app.example/cb?%63ode=abc', 's1'), /state does not match/);
    assert.throws(() => parseRedirect('https://app.example/cb?%63ode=abc&%73tate=other', 's1'), /state does not match/);
    assert.equal(parseRedirect('https://app.example/cb?%63ode=abc&%73tate=s1', 's1'), 'abc');
    // With no login started here (no state expected), no address is accepted, encoded or not.
    assert.throws(() => parseRedirect('https://app.example/cb?%63ode=abc'), /another login attempt/);
    assert.throws(() => parseRedirect('?%63ode=abc&state=s1'), /another login attempt/);
    assert.throws(() => parseRedirect('?code=q1'), /another login attempt/);
    assert.deepEqual(readPasted('0f3a-bc.99'), { kind: 'code', code: '0f3a-bc.99' });
  });

  it('accepts a bare code and refuses garbage clearly', () => {
    assert.equal(parseRedirect('0f3a-bc.99'), '0f3a-bc.99');
    assert.throws(() => parseRedirect(''), /nothing pasted/);
    assert.throws(() => parseRedirect('this is not it'), /neither a redirect address nor a code/);
    assert.throws(() => parseRedirect('https://app.example/cb?state=s1', 's1'), /holds no `code`/);
  });

  it('reports an error the login server put in the redirect', () => {
    assert.throws(
      () => parseRedirect('https://app.example/cb?error=access_denied&error_description=User+said+no&state=s1', 's1'),
      (err: unknown) => err instanceof OAuthError && err.oauthError === 'access_denied' && /refused the login: access_denied \(User said no\)/.test(err.message),
    );
  });
});

describe('stellantis/oauth: token requests against the simulator', () => {
  let sim: RunningSimulator;
  let lines: string[];
  let oauth: OAuthClientConfig;
  let dir: string;
  const tokenCalls = (grant?: string): number => lines.filter((l) => l.startsWith('oauth POST /access_token') && (!grant || l.includes(`grant=${grant} `))).length;

  beforeEach(async () => {
    lines = [];
    sim = await startSimulator({ logger: (l) => lines.push(l) });
    oauth = { oauthUrl: sim.oauthUrl, clientId: sim.account.clientId, clientSecret: sim.account.clientSecret, realm: sim.account.realm, timeoutMs: 2000 };
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oauth-'));
  });
  afterEach(async () => {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Logs in through the simulator's login page like a browser would; returns the redirect URL. */
  async function browserLogin(authorizeUrl: string): Promise<string> {
    const form = await fetch(authorizeUrl);
    assert.equal(form.status, 200);
    const params = new URL(authorizeUrl).searchParams;
    const body = new URLSearchParams({
      response_type: 'code',
      client_id: params.get('client_id') ?? '',
      redirect_uri: params.get('redirect_uri') ?? '',
      scope: params.get('scope') ?? '',
      state: params.get('state') ?? '',
      username: sim.account.username,
      password: sim.account.password,
    });
    const res = await fetch(`${sim.oauthUrl}/authorize`, { method: 'POST', body, redirect: 'manual' });
    assert.equal(res.status, 302);
    return res.headers.get('location') ?? '';
  }

  it('logs in end to end: URL, pasted redirect, code exchange, saved tokens that the client uses', async () => {
    const { url, state } = buildAuthorizationUrl({ oauthUrl: sim.oauthUrl, clientId: sim.account.clientId, redirectUri: sim.account.redirectUri });
    const code = parseRedirect(await browserLogin(url), state);
    const store = new FileTokenStore(dir, sim.account.clientId);
    const provider = new OAuthTokenProvider({ oauth, store });
    await provider.login(code, sim.account.redirectUri);
    assert.equal(tokenCalls('authorization_code'), 1);
    const saved = JSON.parse(fs.readFileSync(store.file, 'utf8')) as Record<string, unknown>;
    assert.match(String(saved.refreshToken), /^sim-rt-/);
    assert.ok(Number(saved.expiresAt) > Date.now() + 3500_000);

    const client = new StellantisClient(
      { flavour: 'b2c', clientId: sim.account.clientId, realm: sim.account.realm, baseUrl: sim.b2cBaseUrl },
      { tokens: new OAuthTokenProvider({ oauth, store: new FileTokenStore(dir, sim.account.clientId) }) },
    );
    try {
      assert.equal((await client.listVehicles()).length, 2);
    } finally {
      client.close();
    }
    assert.equal(tokenCalls(), 1, 'a fresh saved token needs no token call');

    const reused = await rejection(() => exchangeCode({ ...oauth, redirectUri: sim.account.redirectUri }, code));
    assert.ok(reused instanceof OAuthError);
    assert.match(reused.message, /authorization code was refused \(expired, already used/);
    assert.ok(!reused.message.includes(code));
  });

  it('refreshes with ?realm= and rotates; the old refresh token is then refused', async () => {
    const issued = sim.issueTokens();
    const next = await refreshTokens(oauth, issued.refresh_token);
    assert.notEqual(next.refreshToken, issued.refresh_token);
    assert.notEqual(next.accessToken, issued.access_token);
    assert.equal(next.tokenType, 'Bearer');
    const again = await rejection(() => refreshTokens(oauth, issued.refresh_token));
    assert.ok(again instanceof LoginExpiredError);
    assert.match(again.message, /refresh token was refused \(revoked or expired\): log in again/);
    assert.ok(!again.message.includes(issued.refresh_token));

    const noRealm = await rejection(() => refreshTokens({ ...oauth, realm: undefined }, next.refreshToken));
    assert.match(noRealm.message, /HTTP 400 \(invalid_request: The realm query parameter is required/);
  });

  it('explains refused client credentials without showing them', async () => {
    const err = await rejection(() => refreshTokens({ ...oauth, clientSecret: 'not-the-secret' }, sim.issueTokens().refresh_token));
    assert.ok(err instanceof OAuthError);
    assert.equal(err.status, 401);
    assert.match(err.message, /check clientId and clientSecret/);
    assert.ok(!err.message.includes('not-the-secret'));
  });

  it('explains an unreachable login server', async () => {
    const url = sim.oauthUrl;
    await sim.stop();
    const err = await rejection(() => refreshTokens({ ...oauth, oauthUrl: url }, 'rt'));
    assert.match(err.message, /cannot reach the login server 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it('collapses concurrent refreshes into one token call and persists the rotation', async () => {
    const issued = sim.issueTokens();
    const store = new FileTokenStore(dir, 'acct');
    await store.save({ accessToken: issued.access_token, refreshToken: issued.refresh_token, expiresAt: Date.now() + 3600_000 });
    const provider = new OAuthTokenProvider({ oauth, store });
    assert.equal(await provider.getAccessToken(), issued.access_token);
    assert.equal(tokenCalls(), 0);
    const results = await Promise.all(Array.from({ length: 6 }, () => provider.refresh(issued.access_token)));
    assert.equal(new Set(results).size, 1);
    assert.notEqual(results[0], issued.access_token);
    assert.equal(tokenCalls('refresh_token'), 1);
    assert.equal(provider.tokenRequestCount, 1);
    const saved = await new FileTokenStore(dir, 'acct').load();
    assert.equal(saved?.accessToken, results[0]);
    assert.notEqual(saved?.refreshToken, issued.refresh_token);
    // A late caller with the old token gets the new one without a call.
    assert.equal(await provider.refresh(issued.access_token), results[0]);
    assert.equal(tokenCalls(), 1);
  });

  it('refreshes ahead of expiry', async () => {
    const issued = sim.issueTokens();
    const store = new MemoryTokenStore({ accessToken: issued.access_token, refreshToken: issued.refresh_token, expiresAt: Date.now() + 30_000 });
    const provider = new OAuthTokenProvider({ oauth, store, refreshMarginMs: 60_000 });
    const token = await provider.getAccessToken();
    assert.notEqual(token, issued.access_token);
    assert.equal(tokenCalls('refresh_token'), 1);
    assert.equal(await provider.getAccessToken(), token);
    assert.equal(tokenCalls(), 1);
  });

  it('picks up tokens another process saved instead of spending a rotated refresh token', async () => {
    const issued = sim.issueTokens();
    await new FileTokenStore(dir, 'acct').save({ accessToken: issued.access_token, refreshToken: issued.refresh_token, expiresAt: Date.now() + 3600_000 });
    const first = new OAuthTokenProvider({ oauth, store: new FileTokenStore(dir, 'acct') });
    const second = new OAuthTokenProvider({ oauth, store: new FileTokenStore(dir, 'acct') });
    await second.getAccessToken();
    const renewed = await first.refresh(issued.access_token);
    // `second` still holds the old refresh token, now spent; it must read the file, not the server.
    assert.equal(await second.refresh(issued.access_token), renewed);
    assert.equal(tokenCalls('refresh_token'), 1);
  });

  it('keeps rotated tokens in memory when the token file cannot be written, says so once, and saves them once it can', async () => {
    const issued = sim.issueTokens();
    const store = new FileTokenStore(dir, 'acct');
    await store.save({ accessToken: issued.access_token, refreshToken: issued.refresh_token, expiresAt: Date.now() + 3600_000 });
    const logged: Array<[string, string]> = [];
    const logger = {
      debug: () => undefined,
      info: (m: string) => logged.push(['info', m]),
      warn: (m: string) => logged.push(['warn', m]),
      error: (m: string) => logged.push(['error', m]),
    };
    const provider = new OAuthTokenProvider({ oauth, store, logger });
    assert.equal(await provider.getAccessToken(), issued.access_token);
    // A directory where the token file was: no write can replace it.
    fs.rmSync(store.file);
    fs.mkdirSync(store.file);

    provider.invalidate();
    const first = await provider.getAccessToken();
    assert.notEqual(first, issued.access_token);
    // The simulator refuses a spent refresh token: this works only with the rotated one, kept in memory.
    provider.invalidate();
    const second = await provider.getAccessToken();
    assert.notEqual(second, first);
    assert.equal(tokenCalls('refresh_token'), 2);
    const errors = logged.filter(([level]) => level === 'error').map(([, m]) => m);
    assert.equal(errors.length, 1, JSON.stringify(logged));
    assert.match(errors[0], /cannot save the renewed tokens to token file .*tokens-acct-.*\.json \(E[A-Z]+\): they are kept in memory/);
    for (const secret of [issued.refresh_token, issued.access_token, first, second, sim.account.clientSecret]) {
      assert.ok(!JSON.stringify(logged).includes(secret), 'no secret in the log');
    }

    // The folder is fixed: the next use saves them, with no token call.
    fs.rmSync(store.file, { recursive: true });
    assert.equal(await provider.getAccessToken(), second);
    const saved = await new FileTokenStore(dir, 'acct').load();
    assert.equal(saved?.accessToken, second);
    assert.ok(logged.some(([level, m]) => level === 'info' && /saved to token file .* now/.test(m)));
    assert.equal(tokenCalls('refresh_token'), 2);
    // What was saved is the live refresh token: another process can go on with it.
    const next = new OAuthTokenProvider({ oauth, store: new FileTokenStore(dir, 'acct') });
    assert.notEqual(await next.refresh(second), second);
    assert.equal(tokenCalls('refresh_token'), 3);
  });

  it('says "not logged in" with the reason when the token file is corrupt', async () => {
    const store = new FileTokenStore(dir, 'acct');
    fs.writeFileSync(store.file, 'garbage');
    const provider = new OAuthTokenProvider({ oauth, store });
    const err = await rejection(() => provider.getAccessToken());
    assert.ok(err instanceof NotLoggedInError);
    assert.match(err.message, /not logged in \(the token file .* is corrupt .*\): run `stellantis login`/);
    const empty = await rejection(() => new OAuthTokenProvider({ oauth, store: new FileTokenStore(path.join(dir, 'none'), 'acct') }).getAccessToken());
    assert.match(empty.message, /not logged in \(no tokens in token file .*\): run `stellantis login`/);
    assert.equal(tokenCalls(), 0);
  });
});
