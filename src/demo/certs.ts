/**
 * The demo's own small PKI, made once and kept in <demo dir>/certs: a CA, a server certificate for
 * 127.0.0.1 (the simulator and the HTTPS webhook entry) and a client certificate (mutual TLS with
 * the simulated API, as with the real one). The faces run exactly as with a real account.
 */
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generate } from 'selfsigned';

export interface DemoPki {
  dir: string;
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  ca: string;
  serverCert: string;
  serverKey: string;
}

const EC = { keyType: 'ec' as const, curve: 'P-256' as const, algorithm: 'sha256' };
const DAY_MS = 86_400_000;
/** Renewed when it ends within a week: a year is plenty for a demo. */
const validity = () => ({ notAfterDate: new Date(Date.now() + 365 * DAY_MS) });

function stillValid(file: string): boolean {
  try {
    const cert = new X509Certificate(fs.readFileSync(file));
    return Date.parse(cert.validTo) - Date.now() > 7 * DAY_MS;
  } catch {
    return false;
  }
}

async function makePki(dir: string): Promise<void> {
  const ca = await generate([{ name: 'commonName', value: 'Stellantis demo CA' }], {
    ...EC,
    ...validity(),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const signer = { cert: ca.cert, key: ca.private };
  const leaf = (cn: string, usage: 'server' | 'client') =>
    generate([{ name: 'commonName', value: cn }], {
      ...EC,
      ...validity(),
      ca: signer,
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        usage === 'server' ? { name: 'extKeyUsage', serverAuth: true } : { name: 'extKeyUsage', clientAuth: true },
        ...(usage === 'server'
          ? [{ name: 'subjectAltName' as const, altNames: [{ type: 7 as const, ip: '127.0.0.1' }, { type: 2 as const, value: 'localhost' }] }]
          : []),
      ],
    });
  const [server, client] = await Promise.all([leaf('127.0.0.1', 'server'), leaf('demo client', 'client')]);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const write = (name: string, text: string, mode = 0o644) => fs.writeFileSync(path.join(dir, name), text, { mode });
  write('ca.pem', ca.cert);
  write('server.pem', server.cert);
  write('server-key.pem', server.private, 0o600);
  write('client.pem', client.cert);
  write('client-key.pem', client.private, 0o600);
}

export async function ensureDemoPki(demoDir: string): Promise<DemoPki> {
  const dir = path.join(demoDir, 'certs');
  const file = (name: string) => path.join(dir, name);
  const names = ['ca.pem', 'server.pem', 'server-key.pem', 'client.pem', 'client-key.pem'];
  if (!names.every((n) => fs.existsSync(file(n))) || !stillValid(file('server.pem')) || !stillValid(file('client.pem'))) {
    await makePki(dir);
  }
  return {
    dir,
    caFile: file('ca.pem'),
    serverCertFile: file('server.pem'),
    serverKeyFile: file('server-key.pem'),
    clientCertFile: file('client.pem'),
    clientKeyFile: file('client-key.pem'),
    ca: fs.readFileSync(file('ca.pem'), 'utf8'),
    serverCert: fs.readFileSync(file('server.pem'), 'utf8'),
    serverKey: fs.readFileSync(file('server-key.pem'), 'utf8'),
  };
}
