/**
 * The plugin's own version (AccessoryInformation FirmwareRevision). Read from the package.json found
 * walking up from this file, so it works from `src/` (tsx) and from `dist/src/` (published package,
 * where no package.json sits under dist/).
 */
import fs from 'node:fs';
import path from 'node:path';
import { PLUGIN_NAME } from './settings';

let cachedVersion: string | undefined;

export function pluginVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  cachedVersion = '0.0.0';
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (isOurPackage(parsed)) {
        cachedVersion = parsed.version;
        break;
      }
    } catch {
      // no package.json here: keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return cachedVersion;
}

function isOurPackage(value: unknown): value is { name: string; version: string } {
  if (typeof value !== 'object' || value === null) return false;
  const rec = value as Record<string, unknown>;
  return rec.name === PLUGIN_NAME && typeof rec.version === 'string';
}
