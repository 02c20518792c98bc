/**
 * Test PKI: a CA, a server certificate for 127.0.0.1 and client certificates signed by that CA,
 * generated with `selfsigned` (EC keys: fast). Generated once per test process and shared.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generate } from 'selfsigned';

export interface PemPair {
  cert: string;
  key: string;
}

export interface TestPki {
  ca: PemPair;
  /** For 127.0.0.1 / localhost, signed by `ca`. */
  server: PemPair;
  /** Client certificate signed by `ca`. */
  client: PemPair;
  /** Client certificate signed by `ca` whose key is encrypted with `passphrase`. */
  clientEncrypted: PemPair & { passphrase: string };
  /** A client certificate signed by a different CA (the server must refuse it). */
  stranger: PemPair;
}

const EC = { keyType: 'ec' as const, curve: 'P-256' as const, algorithm: 'sha256' };

async function makeCa(name: string): Promise<PemPair> {
  const ca = await generate([{ name: 'commonName', value: name }], {
    ...EC,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { cert: ca.cert, key: ca.private };
}

async function makeLeaf(cn: string, ca: PemPair, usage: 'server' | 'client', passphrase?: string): Promise<PemPair> {
  const pems = await generate([{ name: 'commonName', value: cn }], {
    ...EC,
    ca,
    passphrase,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      usage === 'server' ? { name: 'extKeyUsage', serverAuth: true } : { name: 'extKeyUsage', clientAuth: true },
      ...(usage === 'server'
        ? [{ name: 'subjectAltName' as const, altNames: [{ type: 7 as const, ip: '127.0.0.1' }, { type: 2 as const, value: 'localhost' }] }]
        : []),
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

let shared: Promise<TestPki> | undefined;

export function testPki(): Promise<TestPki> {
  shared ??= (async () => {
    const ca = await makeCa('Test Stellantis CA');
    const otherCa = await makeCa('Some other CA');
    const passphrase = 'correct horse battery staple';
    const [server, client, encrypted, stranger] = await Promise.all([
      makeLeaf('127.0.0.1', ca, 'server'),
      makeLeaf('test client', ca, 'client'),
      makeLeaf('test client (encrypted key)', ca, 'client', passphrase),
      makeLeaf('stranger', otherCa, 'client'),
    ]);
    return { ca, server, client, clientEncrypted: { ...encrypted, passphrase }, stranger };
  })();
  return shared;
}

/** Writes files into a fresh temp folder; returns the folder and a remover. */
export function writeTempFiles(files: Record<string, string>): { dir: string; file: (name: string) => string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stellantis-certs-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return { dir, file: (name) => path.join(dir, name), remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
