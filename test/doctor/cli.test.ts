/** `stellantis doctor` through runCli, in-process: ✔/✖ lines, fixes, exit codes, no secret printed. */
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/run';
import { accountKeyOf, storageFile } from '../../src/engine/storageFiles';
import { bench, type Bench, type RawConfig } from './harness';
import { perTest } from '../helpers/perTest';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(argv: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const stdin = new PassThrough();
  stdin.end();
  const code = await runCli(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    stdin,
    env: { HOME: '/nonexistent-home' },
  });
  return { code, stdout, stderr };
}

describe('stellantis doctor (CLI)', function () {
  this.timeout(20_000);
  let b: Bench;
  let n = 0;

  const writeConfig = async (config: RawConfig): Promise<string> => {
    const file = path.join(b.dir, `config-${++n}.json`);
    await fs.writeFile(file, JSON.stringify(config));
    return file;
  };

  perTest(() => bench(), (x) => x.close(), (x) => (b = x));

  it('all green: ✔ per check, exit 0, and no secret in the output', async () => {
    await b.storeTokens();
    await b.startAccount(b.config());
    const file = await writeConfig(b.config());
    const run = await cli(['doctor', '--config', file, '--storage', b.storage]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    for (const title of ['Configuration', 'Login (access token)', 'Stellantis API reachable', 'Vehicles visible', 'Webhook callback registered', 'Webhook listener reachable', 'Wake-up quota']) {
      assert.ok(run.stdout.includes(`✔ ${title}`), `✔ ${title}`);
    }
    assert.ok(run.stdout.includes('– Client certificate'));
    assert.ok(!run.stdout.includes('✖'));
    assert.match(run.stdout, /All checks passed \(1 token request\(s\), 3 API call\(s\), no remote sent\)\./);
    const key = accountKeyOf({ flavour: 'b2c', clientId: b.sim.account.clientId, realm: b.sim.account.realm });
    const tokens = JSON.parse(await fs.readFile(path.join(b.storage, (await fs.readdir(b.storage)).find((f) => f.startsWith('tokens-')) ?? ''), 'utf8')) as {
      accessToken: string;
      refreshToken: string;
    };
    const webhookSecret = (JSON.parse(await fs.readFile(storageFile(b.storage, 'webhook-secret', key), 'utf8')) as { secret: string }).secret;
    for (const secret of [b.sim.account.clientSecret, tokens.accessToken, tokens.refreshToken, webhookSecret]) {
      assert.ok(!(run.stdout + run.stderr).includes(secret), 'a secret was printed');
    }
  });

  it('a failure: ✖ with its fix, the skipped ones with their reason, exit 1', async () => {
    const file = await writeConfig(b.config());
    const run = await cli(['doctor', '--config', file, '--storage', b.storage]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /✖ Login \(access token\)\n {4}not logged in: .*\n {4}fix: log in with `stellantis login --config <file.json> --storage /);
    assert.match(run.stdout, /– Stellantis API reachable\n {4}skipped: needs Login \(access token\), which did not pass/);
    assert.match(run.stdout, /\d check\(s\) failed/);
  });

  it('an invalid configuration is reported by the doctor itself (every problem), exit 1', async () => {
    const file = await writeConfig({ brand: 'pugeot', clientSecret: 'not-to-be-printed-1234' });
    const run = await cli(['doctor', '--config', file, '--storage', b.storage]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /✖ Configuration\n {4}\d+ problems:\n {4}/);
    assert.match(run.stdout, /brand: 'pugeot' is not one of/);
    assert.ok(!run.stdout.includes('not-to-be-printed-1234'));
  });

  it('usage: missing --config exits 2; unreadable file exits 1; --help exits 0', async () => {
    const missing = await cli(['doctor', '--storage', b.storage]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /missing --config/);
    const notFound = await cli(['doctor', '--config', path.join(b.dir, 'nope.json')]);
    assert.equal(notFound.code, 1);
    assert.match(notFound.stderr, /--config: file .*nope\.json not found/);
    const help = await cli(['doctor', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: stellantis doctor --config <file.json>/);
    assert.equal(b.sim.calls.length, 0);
  });
});
