/**
 * Runs the real Homebridge UI (homebridge-config-ui-x, standalone mode) against a temporary storage
 * folder, with this package installed as a plugin the way npm would lay it out: a plugin folder
 * holding package.json, config.schema.json, homebridge-ui/, docs/ and the compiled dist/.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { endChild } from '../helpers/childProcess';
import { freePort } from '../helpers/ports';
import { sleep } from '../helpers/simulator';

export { freePort };

export const PROJECT_ROOT = path.resolve(__dirname, '../..');
const STANDALONE = path.join(PROJECT_ROOT, 'node_modules/homebridge-config-ui-x/dist/bin/standalone.js');

export interface RealUi {
  url: string;
  root: string;
  storagePath: string;
  configPath: string;
  /** Everything the UI (and the plugin's server.js, whose output it relays) printed. */
  log(): string;
  stop(): Promise<void>;
}

/** The compiled package the plugin's server.js requires; built once when missing (CI builds before testing). */
export function ensureBuilt(): void {
  if (fs.existsSync(path.join(PROJECT_ROOT, 'dist/src/stellantis/oauth.js')) && fs.existsSync(path.join(PROJECT_ROOT, 'dist/src/doctor/index.js'))) return;
  execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: PROJECT_ROOT, stdio: 'ignore' });
}

/**
 * The plugin folder as installed. homebridge-ui/ is copied (the UI refuses a custom UI whose real
 * path is outside the plugin folder); dist and node_modules are links. The schema gets
 * `customUi: true` when it lacks it, so the page under test is the one the UI shows.
 */
function stagePlugin(pluginsDir: string): void {
  const dir = path.join(pluginsDir, 'homebridge-stellantis');
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of ['package.json', 'dist', 'node_modules', 'docs']) fs.symlinkSync(path.join(PROJECT_ROOT, entry), path.join(dir, entry));
  fs.cpSync(path.join(PROJECT_ROOT, 'homebridge-ui'), path.join(dir, 'homebridge-ui'), { recursive: true });
  const schema = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'config.schema.json'), 'utf8')) as Record<string, unknown>;
  schema.customUi = true;
  fs.writeFileSync(path.join(dir, 'config.schema.json'), JSON.stringify(schema, null, 2));
}

/** An admin user in auth.json: without one the UI shows its setup wizard. Login is `auth: none` anyway. */
function writeAdmin(storagePath: string): void {
  const salt = crypto.randomBytes(32).toString('hex');
  const hashedPassword = crypto.pbkdf2Sync(crypto.randomBytes(12).toString('hex'), salt, 1000, 64, 'sha512').toString('hex');
  fs.writeFileSync(path.join(storagePath, 'auth.json'), JSON.stringify([{ id: 1, username: 'admin', name: 'Admin', admin: true, salt, hashedPassword }]));
}

/** `uiSettings`: more keys of the UI's own block (e.g. `lang: 'fr'`, the language its users pick in its settings). */
export async function startRealUi(platformBlock: Record<string, unknown>, uiSettings: Record<string, unknown> = {}): Promise<RealUi> {
  ensureBuilt();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stellantis-ui-'));
  const storagePath = path.join(root, 'storage');
  const pluginsDir = path.join(root, 'plugins');
  fs.mkdirSync(storagePath, { recursive: true });
  stagePlugin(pluginsDir);
  writeAdmin(storagePath);
  const port = await freePort();
  const configPath = path.join(storagePath, 'config.json');
  fs.writeFileSync(configPath, JSON.stringify({
    bridge: { name: 'Homebridge Test', username: '0E:11:22:33:44:55', port: 51826, pin: '031-45-154' },
    platforms: [{ platform: 'config', name: 'Config', port, host: '127.0.0.1', auth: 'none', ...uiSettings }, platformBlock],
  }, null, 2));

  let output = '';
  const child: ChildProcess = spawn(process.execPath, [STANDALONE, '-U', storagePath, '-P', pluginsDir], {
    cwd: root,
    // Strict resolution: plugins only from -P (no global folders, no `npm -g prefix` call).
    env: { ...process.env, UIX_STRICT_PLUGIN_RESOLUTION: '1', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
  const exited = once(child, 'exit');

  const stop = async (): Promise<void> => {
    await endChild(child, exited);
    fs.rmSync(root, { recursive: true, force: true });
  };

  const started = Date.now();
  while (!/listening on .* port/.test(output)) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the Homebridge UI exited at start:\n${output}`);
    }
    if (Date.now() - started > 30_000) {
      await stop();
      throw new Error(`the Homebridge UI did not start within 30 s:\n${output}`);
    }
    await sleep(100);
  }
  return { url: `http://127.0.0.1:${port}`, root, storagePath, configPath, log: () => output, stop };
}
