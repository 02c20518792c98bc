import { strict as assert } from 'node:assert';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { Capture, cli, secretsOf, setup, type Setup } from './support';
import { perTest } from '../helpers/perTest';

/** Follows the simulator's login page like a browser: GET the page, submit its form, read the redirect. */
async function followLoginPage(authorizationUrl: string): Promise<string> {
  const page = await fetch(authorizationUrl);
  assert.equal(page.status, 200);
  const html = await page.text();
  const form = /<form[^>]*method="post"[^>]*action="([^"]+)"/i.exec(html);
  assert.ok(form, 'the authorize page has a form');
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/gi)) {
    fields.set(m[1], m[2].replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'"));
  }
  const submitted = await fetch(new URL(form[1], authorizationUrl), {
    method: 'POST',
    body: fields,
    redirect: 'manual',
  });
  assert.equal(submitted.status, 302);
  const location = submitted.headers.get('location');
  assert.ok(location, 'the login answers with a redirect');
  return location;
}

describe('stellantis login', () => {
  let s: Setup;
  perTest(() => setup(), (x) => x.close(), (x) => (s = x));

  it('prints the authorization URL, reads the pasted redirect, stores the tokens 0600; then vehicles works with them', async () => {
    const config = await s.writeConfig();
    const stdin = new PassThrough();
    const stdout = new Capture();
    const running = cli(['login', ...s.args(config)], { stdin, stdout });
    const [url] = await stdout.waitFor(/https?:\/\/\S+\/authorize\?\S+/);
    const parsed = new URL(url);
    assert.equal(parsed.searchParams.get('client_id'), s.sim.account.clientId);
    assert.equal(parsed.searchParams.get('redirect_uri'), s.sim.account.redirectUri);
    assert.match(parsed.searchParams.get('scope') ?? '', /remote:door:write/);
    const redirect = await followLoginPage(url);
    assert.ok(redirect.startsWith(s.sim.account.redirectUri));
    stdin.write(`${redirect}\n`);
    const run = await running;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Logged in/);

    const files = (await fsp.readdir(s.storage)).filter((f) => f.startsWith('tokens-'));
    assert.equal(files.length, 1);
    const file = path.join(s.storage, files[0]);
    assert.equal((await fsp.stat(file)).mode & 0o777, 0o600);
    const saved = JSON.parse(await fsp.readFile(file, 'utf8')) as { accessToken: string; refreshToken: string };
    assert.ok(saved.accessToken && saved.refreshToken);
    for (const secret of [...secretsOf(s.sim), saved.accessToken, saved.refreshToken, new URL(redirect).searchParams.get('code') ?? '']) {
      assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), 'no secret printed');
    }

    const before = s.sim.callCount();
    const vehicles = await cli(['vehicles', ...s.args(config)]);
    assert.equal(vehicles.code, 0, vehicles.stderr);
    assert.equal(s.sim.callCount() - before, 1);
    for (const v of s.sim.vehicles) assert.match(vehicles.stdout, new RegExp(`${v.id}\\s+${v.vin}`));
    assert.ok(!vehicles.stdout.includes(saved.accessToken));
  });

  it('accepts a bare code too', async () => {
    const config = await s.writeConfig();
    const stdin = new PassThrough();
    const stdout = new Capture();
    const running = cli(['login', ...s.args(config)], { stdin, stdout });
    const [url] = await stdout.waitFor(/https?:\/\/\S+\/authorize\?\S+/);
    const code = new URL(await followLoginPage(url)).searchParams.get('code');
    stdin.end(`${code}\n`);
    assert.equal((await running).code, 0);
  });

  it('refuses a redirect from another login attempt (state mismatch) and stores nothing', async () => {
    const config = await s.writeConfig();
    const stdin = new PassThrough();
    const stdout = new Capture();
    const running = cli(['login', ...s.args(config)], { stdin, stdout });
    const [url] = await stdout.waitFor(/https?:\/\/\S+\/authorize\?\S+/);
    const other = new URL(url);
    other.searchParams.set('state', 'someone-else');
    stdin.end(`${await followLoginPage(other.toString())}\n`);
    const run = await running;
    assert.equal(run.code, 1);
    assert.match(run.stderr, /another login attempt/);
    await assert.rejects(fsp.readdir(s.storage));
  });

  it('fails clearly when nothing is pasted', async () => {
    const run = await cli(['login', ...s.args(await s.writeConfig())]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /nothing was pasted/);
    assert.ok(!run.stderr.includes('    at '), 'no stack trace');
  });

  it('reports a refused code (already used) without printing it', async () => {
    const config = await s.writeConfig();
    const stdout1 = new Capture();
    const stdin1 = new PassThrough();
    const first = cli(['login', ...s.args(config)], { stdin: stdin1, stdout: stdout1 });
    const [url] = await stdout1.waitFor(/https?:\/\/\S+\/authorize\?\S+/);
    const redirect = await followLoginPage(url);
    stdin1.end(`${redirect}\n`);
    assert.equal((await first).code, 0);
    // The same code again, with that attempt's state: the server refuses it.
    const stdin2 = new PassThrough();
    const stdout2 = new Capture();
    const second = cli(['login', ...s.args(config)], { stdin: stdin2, stdout: stdout2 });
    await stdout2.waitFor(/authorize\?/);
    const code = new URL(redirect).searchParams.get('code') ?? '';
    stdin2.end(`${code}\n`);
    const run = await second;
    assert.equal(run.code, 1);
    assert.match(run.stderr, /authorization code was refused/);
    assert.ok(!run.stderr.includes(code));
  });
});
