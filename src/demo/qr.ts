/**
 * The HomeKit setup QR code in the terminal, drawn by qrcode-terminal, which Homebridge itself
 * depends on (no dependency of our own). Without it, the setup URI and code are printed alone.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';

interface QrTerminal {
  setErrorLevel(level: string): void;
  generate(text: string, opts: { small: boolean }, done: (qr: string) => void): void;
}

function isQrTerminal(value: unknown): value is QrTerminal {
  const v = value as Partial<QrTerminal> | null;
  return typeof v === 'object' && v !== null && typeof v.generate === 'function' && typeof v.setErrorLevel === 'function';
}

function loadQrTerminal(root: string): QrTerminal | undefined {
  try {
    const homebridgeDir = path.dirname(require.resolve('homebridge/package.json', { paths: [root] }));
    const load = createRequire(path.join(homebridgeDir, 'package.json'));
    const loaded: unknown = load(require.resolve('qrcode-terminal', { paths: [homebridgeDir, root] }));
    return isQrTerminal(loaded) ? loaded : undefined;
  } catch {
    return undefined;
  }
}

export function renderQr(root: string, text: string): Promise<string[]> {
  const qr = loadQrTerminal(root);
  if (!qr) return Promise.resolve([]);
  return new Promise((resolve) => {
    qr.setErrorLevel('M'); // HAP asks for level M or higher
    qr.generate(text, { small: true }, (drawn) => resolve(drawn.split('\n').filter((l) => l !== '')));
  });
}
