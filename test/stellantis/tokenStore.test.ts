import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileTokenStore, MemoryTokenStore, tokenFileName, type StoredTokens } from '../../src/stellantis/tokenStore';
import { writeFileAtomic } from '../../src/util/atomicFile';
import type { Logger } from '../../src/util/logger';

const TOKENS: StoredTokens = { accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: 1_900_000_000_000, scope: 'openid' };

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const ignore = (): void => undefined;
  return { warnings, debug: ignore, info: ignore, error: ignore, warn: (m) => warnings.push(m) };
}

describe('util/atomicFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates missing folders, writes with mode 0600 and leaves no temp file', async () => {
    const file = path.join(dir, 'a', 'b', 'secret.json');
    await writeFileAtomic(file, '{"x":1}');
    assert.equal(fs.readFileSync(file, 'utf8'), '{"x":1}');
    if (process.platform !== 'win32') assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['secret.json']);
  });

  it('replaces an existing file and narrows its mode', async () => {
    const file = path.join(dir, 'f.json');
    fs.writeFileSync(file, 'old content that is longer', { mode: 0o644 });
    await writeFileAtomic(file, 'new');
    assert.equal(fs.readFileSync(file, 'utf8'), 'new');
    if (process.platform !== 'win32') assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });

  it('keeps the file whole under concurrent writers', async () => {
    const file = path.join(dir, 'f.json');
    const payloads = Array.from({ length: 20 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(10_000 + i) }));
    await Promise.all(payloads.map((p) => writeFileAtomic(file, p)));
    assert.ok(payloads.includes(fs.readFileSync(file, 'utf8')), 'the file is exactly one of the payloads');
    assert.deepEqual(fs.readdirSync(dir), ['f.json']);
  });
});

describe('stellantis/tokenStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokens-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('saves and loads tokens in a 0600 file under the given folder', async () => {
    const store = new FileTokenStore(path.join(dir, 'storage'), 'my-client-id');
    assert.equal(await store.load(), undefined);
    assert.equal(store.problem, undefined);
    await store.save(TOKENS);
    const loaded = await store.load();
    assert.deepEqual({ ...loaded, savedAt: undefined }, { ...TOKENS, savedAt: undefined });
    assert.ok(loaded?.savedAt && loaded.savedAt > 0);
    assert.equal(path.dirname(store.file), path.join(dir, 'storage'));
    if (process.platform !== 'win32') assert.equal(fs.statSync(store.file).mode & 0o777, 0o600);
    assert.match(store.describe(), /token file .*tokens-my-client-id-[0-9a-f]{8}\.json/);
  });

  it('makes safe and distinct file names from any account key', () => {
    const a = tokenFileName('../../etc/passwd');
    const b = tokenFileName('a/b:c d');
    const c = tokenFileName('a_b_c_d');
    for (const name of [a, b, c]) assert.match(name, /^tokens-[A-Za-z0-9._-]+-[0-9a-f]{8}\.json$/);
    assert.ok(!a.includes('/') && !a.includes('..'));
    assert.notEqual(b, c, 'keys that slug alike still get different files');
  });

  it('tolerates a corrupt file with a clear message', async () => {
    const logger = recordingLogger();
    const store = new FileTokenStore(dir, 'acct', { logger });
    fs.writeFileSync(store.file, '{ not json');
    assert.equal(await store.load(), undefined);
    assert.match(store.problem ?? '', /token file .* is corrupt \(not valid JSON\): ignoring it; log in again with `stellantis login`/);
    assert.equal(logger.warnings.length, 1);

    fs.writeFileSync(store.file, JSON.stringify({ accessToken: 'a' }));
    assert.equal(await store.load(), undefined);
    assert.match(store.problem ?? '', /corrupt \(no refreshToken\)/);

    await store.save(TOKENS);
    assert.equal(store.problem, undefined);
    assert.equal((await store.load())?.refreshToken, 'rt-1');
  });

  it('clears the file', async () => {
    const store = new FileTokenStore(dir, 'acct');
    await store.save(TOKENS);
    await store.clear();
    assert.equal(fs.existsSync(store.file), false);
    assert.equal(await store.load(), undefined);
    await store.clear(); // twice is fine
  });

  it('has an in-memory variant that hands out copies', async () => {
    const store = new MemoryTokenStore(TOKENS);
    const loaded = await store.load();
    assert.deepEqual(loaded, TOKENS);
    if (loaded) loaded.accessToken = 'changed';
    assert.equal((await store.load())?.accessToken, 'at-1');
    await store.clear();
    assert.equal(await store.load(), undefined);
  });
});
