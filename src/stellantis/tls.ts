/**
 * Loads and checks the mutual-TLS client certificate at start, so that a wrong path, a key that
 * does not match or a wrong passphrase is reported by config key instead of as an obscure
 * handshake failure on the first API call.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { CertificateConfig } from './clientConfig';

/** PEM material for the HTTPS agent. Without cert/key, only `ca` is used (server trust, no client certificate). */
export interface ClientTls {
  cert?: string;
  key?: string;
  passphrase?: string;
  ca?: string;
}

export type LoadedClientTls = ClientTls & { cert: string; key: string };

export class TlsConfigError extends Error {
  /** The config key at fault, e.g. `certificate.key`. */
  readonly key: string;
  constructor(key: string, message: string) {
    super(`${key}: ${message}`);
    this.name = 'TlsConfigError';
    this.key = key;
  }
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function readPemFile(key: string, file: string | undefined, baseDir: string | undefined): { file: string; text: string } {
  if (typeof file !== 'string' || file.trim() === '') {
    throw new TlsConfigError(key, 'missing: give the path of the PEM file');
  }
  const resolved = path.resolve(baseDir ?? process.cwd(), file);
  let text: string;
  try {
    text = fs.readFileSync(resolved, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new TlsConfigError(key, `file ${resolved} not found`);
    if (code === 'EISDIR') throw new TlsConfigError(key, `${resolved} is a folder, not a file`);
    throw new TlsConfigError(key, `file ${resolved} is not readable (${code ?? 'error'}): check its permissions`);
  }
  return { file: resolved, text };
}

function parseCertificates(key: string, file: string, text: string): X509Certificate[] {
  const blocks = text.match(PEM_CERT) ?? [];
  if (blocks.length === 0) throw new TlsConfigError(key, `file ${file} is not a PEM certificate (no BEGIN CERTIFICATE block)`);
  return blocks.map((block) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw new TlsConfigError(key, `file ${file} is not a PEM certificate (a certificate block does not parse)`);
    }
  });
}

function isEncryptedPem(text: string): boolean {
  return /-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text) || /Proc-Type:\s*4,ENCRYPTED/.test(text);
}

function loadPrivateKey(file: string, text: string, passphrase: string | undefined): KeyObject {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new TlsConfigError('certificate.key', `file ${file} is not a PEM private key (no BEGIN PRIVATE KEY block)`);
  }
  const encrypted = isEncryptedPem(text);
  if (encrypted && !passphrase) {
    throw new TlsConfigError('certificate.passphrase', `the private key in ${file} is encrypted: set certificate.passphrase`);
  }
  try {
    return createPrivateKey({ key: text, format: 'pem', passphrase: encrypted ? passphrase : undefined });
  } catch {
    if (encrypted) throw new TlsConfigError('certificate.passphrase', `wrong passphrase for the private key in ${file}`);
    throw new TlsConfigError('certificate.key', `file ${file} is not a usable PEM private key`);
  }
}

function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  const der = (k: KeyObject): Buffer => k.export({ type: 'spki', format: 'der' });
  return der(a).equals(der(b));
}

/**
 * Reads the client certificate, key and CA named in `certificate` (paths relative to `baseDir`,
 * default the working folder) and checks they belong together. Throws TlsConfigError.
 */
export function loadClientTls(certificate: CertificateConfig, baseDir?: string, now: Date = new Date()): LoadedClientTls {
  const certFile = readPemFile('certificate.cert', certificate.cert, baseDir);
  const keyFile = readPemFile('certificate.key', certificate.key, baseDir);
  const [leaf] = parseCertificates('certificate.cert', certFile.file, certFile.text);
  const privateKey = loadPrivateKey(keyFile.file, keyFile.text, certificate.passphrase);
  if (!samePublicKey(createPublicKey(privateKey), leaf.publicKey)) {
    throw new TlsConfigError(
      'certificate.key',
      `the private key in ${keyFile.file} does not match the certificate in ${certFile.file} (a key from another certificate?)`,
    );
  }
  const validTo = new Date(leaf.validTo);
  if (validTo.getTime() < now.getTime()) {
    throw new TlsConfigError(
      'certificate.cert',
      `the certificate in ${certFile.file} expired on ${validTo.toISOString().slice(0, 10)}: get a new one from the Stellantis developer portal`,
    );
  }
  const tls: LoadedClientTls = { cert: certFile.text, key: keyFile.text };
  if (certificate.passphrase) tls.passphrase = certificate.passphrase;
  if (certificate.ca !== undefined && certificate.ca !== '') {
    const caFile = readPemFile('certificate.ca', certificate.ca, baseDir);
    parseCertificates('certificate.ca', caFile.file, caFile.text);
    tls.ca = caFile.text;
  }
  return tls;
}

export type PemRole = 'cert' | 'key' | 'ca';

/**
 * Checks one PEM text before it is stored (an upload): a certificate or CA bundle must parse, a
 * private key must load (an encrypted one only says it needs certificate.passphrase). Returns a
 * short description; throws TlsConfigError keyed `certificate.<role>`. Whether the key matches the
 * certificate is `loadClientTls`'s check, once both are in place.
 */
export function checkPemText(role: PemRole, text: string, label: string): string {
  if (role === 'key') {
    if (isEncryptedPem(text) && /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) return 'encrypted private key (set certificate.passphrase)';
    const key = loadPrivateKey(label, text, undefined);
    return `${key.asymmetricKeyType ?? 'private'} private key`;
  }
  const certs = parseCertificates(`certificate.${role}`, label, text);
  const cn = (c: X509Certificate): string => c.subject.split('\n').find((l) => l.startsWith('CN=')) ?? c.subject.split('\n')[0];
  if (role === 'ca') return `${certs.length} CA certificate${certs.length === 1 ? '' : 's'}`;
  const validTo = new Date(certs[0].validTo).toISOString().slice(0, 10);
  return `certificate ${cn(certs[0])}, valid until ${validTo}`;
}
