import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { loadClientTls, TlsConfigError } from '../../src/stellantis/tls';
import { testPki, writeTempFiles, type TestPki } from '../helpers/certs';

function expectTlsError(fn: () => unknown, key: string, pattern: RegExp): TlsConfigError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof TlsConfigError, `expected TlsConfigError, got ${String(err)}`);
    assert.equal(err.key, key);
    assert.match(err.message, pattern);
    assert.ok(err.message.startsWith(`${key}: `), err.message);
    return err;
  }
  assert.fail('expected a TlsConfigError');
}

describe('tls: loadClientTls', () => {
  let pki: TestPki;
  let files: ReturnType<typeof writeTempFiles>;

  before(async () => {
    pki = await testPki();
    files = writeTempFiles({
      'client.crt': pki.client.cert,
      'client.key': pki.client.key,
      'enc.crt': pki.clientEncrypted.cert,
      'enc.key': pki.clientEncrypted.key,
      'ca.pem': pki.ca.cert,
      'other.key': pki.stranger.key,
      'garbage.txt': 'hello, not a certificate\n',
    });
  });
  after(() => files.remove());

  it('loads a matching certificate, key and CA (paths relative to baseDir)', () => {
    const tls = loadClientTls({ cert: 'client.crt', key: 'client.key', ca: 'ca.pem' }, files.dir);
    assert.equal(tls.cert, pki.client.cert);
    assert.equal(tls.key, pki.client.key);
    assert.equal(tls.ca, pki.ca.cert);
    assert.equal(tls.passphrase, undefined);
  });

  it('loads an encrypted key with the right passphrase', () => {
    const tls = loadClientTls({ cert: 'enc.crt', key: 'enc.key', passphrase: pki.clientEncrypted.passphrase }, files.dir);
    assert.equal(tls.passphrase, pki.clientEncrypted.passphrase);
  });

  it('names the file that is missing', () => {
    const missing = files.file('nope.crt');
    expectTlsError(() => loadClientTls({ cert: missing, key: files.file('client.key') }), 'certificate.cert', new RegExp(`file ${missing} not found`));
    expectTlsError(() => loadClientTls({ cert: files.file('client.crt'), key: 'nope.key' }, files.dir), 'certificate.key', /nope\.key not found/);
    expectTlsError(() => loadClientTls({ cert: 'client.crt', key: 'client.key', ca: 'nope-ca.pem' }, files.dir), 'certificate.ca', /not found/);
  });

  it('reports an unreadable file', function () {
    if (process.platform === 'win32' || process.getuid?.() === 0) this.skip(); // root reads anything
    const locked = files.file('locked.crt');
    fs.writeFileSync(locked, pki.client.cert, { mode: 0o000 });
    expectTlsError(() => loadClientTls({ cert: locked, key: files.file('client.key') }), 'certificate.cert', /not readable/);
  });

  it('reports a folder given as a file', () => {
    expectTlsError(() => loadClientTls({ cert: files.dir, key: 'client.key' }, files.dir), 'certificate.cert', /is a folder/);
  });

  it('refuses a file that is not a PEM certificate', () => {
    expectTlsError(() => loadClientTls({ cert: 'garbage.txt', key: 'client.key' }, files.dir), 'certificate.cert', /is not a PEM certificate/);
    expectTlsError(() => loadClientTls({ cert: 'client.key', key: 'client.key' }, files.dir), 'certificate.cert', /is not a PEM certificate/);
    expectTlsError(() => loadClientTls({ cert: 'client.crt', key: 'client.key', ca: 'garbage.txt' }, files.dir), 'certificate.ca', /not a PEM certificate/);
  });

  it('refuses a key file that holds no private key', () => {
    expectTlsError(() => loadClientTls({ cert: 'client.crt', key: 'client.crt' }, files.dir), 'certificate.key', /not a PEM private key/);
  });

  it('detects a key that does not match the certificate', () => {
    expectTlsError(() => loadClientTls({ cert: 'client.crt', key: 'other.key' }, files.dir), 'certificate.key', /does not match the certificate/);
  });

  it('detects a wrong or missing passphrase', () => {
    const err = expectTlsError(
      () => loadClientTls({ cert: 'enc.crt', key: 'enc.key', passphrase: 'wrong one' }, files.dir),
      'certificate.passphrase',
      /wrong passphrase/,
    );
    assert.doesNotMatch(err.message, /wrong one/, 'the passphrase itself is never shown');
    expectTlsError(() => loadClientTls({ cert: 'enc.crt', key: 'enc.key' }, files.dir), 'certificate.passphrase', /is encrypted: set certificate\.passphrase/);
  });

  it('refuses an expired certificate', () => {
    const later = new Date(Date.now() + 3 * 365 * 24 * 3600 * 1000);
    expectTlsError(() => loadClientTls({ cert: 'client.crt', key: 'client.key' }, files.dir, later), 'certificate.cert', /expired on/);
  });

  it('asks for a path when none is given', () => {
    expectTlsError(() => loadClientTls({ cert: '', key: 'client.key' }, files.dir), 'certificate.cert', /missing/);
  });
});
