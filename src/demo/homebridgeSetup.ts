/**
 * The demo's Homebridge: its storage folder (<demo dir>/homebridge), a config.json with one bridge
 * whose identity (MAC-like username and setup code) is made once and kept, so that a Home app
 * paired once stays paired, and this plugin's platform block.
 */
import { randomBytes, randomInt } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AccountConfig } from '../config/account';
import { PLATFORM_NAME, STORAGE_SUBDIR } from '../homebridge/settings';

export interface BridgeIdentity {
  username: string;
  pin: string;
}

export interface HomebridgeFiles {
  storageDir: string;
  /** Where the platform keeps its files (tokens among them). */
  pluginStorageDir: string;
  configFile: string;
  identity: BridgeIdentity;
}

/** Setup codes HomeKit refuses. */
const WEAK_PINS = new Set(['000-00-000', '111-11-111', '222-22-222', '333-33-333', '444-44-444', '555-55-555', '666-66-666',
  '777-77-777', '888-88-888', '999-99-999', '123-45-678', '876-54-321']);

function newIdentity(): BridgeIdentity {
  const bytes = randomBytes(6);
  bytes[0] = (bytes[0] & 0xfc) | 0x02; // locally administered, unicast
  const username = [...bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
  let pin: string;
  do {
    const digits = String(randomInt(0, 100_000_000)).padStart(8, '0');
    pin = `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
  } while (WEAK_PINS.has(pin));
  return { username, pin };
}

function isIdentity(value: unknown): value is BridgeIdentity {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.username === 'string' && /^([0-9A-F]{2}:){5}[0-9A-F]{2}$/.test(v.username)
    && typeof v.pin === 'string' && /^\d{3}-\d{2}-\d{3}$/.test(v.pin) && !WEAK_PINS.has(v.pin);
}

/** The bridge identity kept in <storage>/demo-bridge.json (made on the first run). */
export function bridgeIdentity(storageDir: string): BridgeIdentity {
  const file = path.join(storageDir, 'demo-bridge.json');
  try {
    const saved: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (isIdentity(saved)) return saved;
  } catch {
    // first run, or an unreadable file: a new identity
  }
  const identity = newIdentity();
  fs.mkdirSync(storageDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${JSON.stringify(identity, null, 2)}\n`, { mode: 0o600 });
  return identity;
}

export function writeHomebridgeConfig(demoDir: string, port: number, platform: AccountConfig): HomebridgeFiles {
  const storageDir = path.join(demoDir, 'homebridge');
  fs.mkdirSync(storageDir, { recursive: true, mode: 0o700 });
  const identity = bridgeIdentity(storageDir);
  const config = {
    bridge: { name: 'Stellantis Demo', username: identity.username, port, pin: identity.pin, advertiser: 'ciao' },
    accessories: [],
    platforms: [{ platform: PLATFORM_NAME, name: 'Stellantis', ...platform }],
  };
  const configFile = path.join(storageDir, 'config.json');
  fs.writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return { storageDir, pluginStorageDir: path.join(storageDir, STORAGE_SUBDIR), configFile, identity };
}

/** The command line: this project as the only plugin, the demo's storage folder, no QR code (the demo prints one). */
export function homebridgeCommand(root: string, storageDir: string): { command: string; args: string[] } {
  const bin = require.resolve('homebridge/bin/homebridge', { paths: [root] });
  return { command: process.execPath, args: [bin, '-U', storageDir, '-P', root, '--strict-plugin-resolution', '-Q', '-T'] };
}
