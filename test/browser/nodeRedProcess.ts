/**
 * A real Node-RED, as a user runs it: its own process (`red.js -u <userDir> -p <port>`), a settings.js,
 * and this package installed in <userDir>/node_modules (a symlink to the project root, so Node-RED
 * loads it through package.json's `node-red.nodes` map like any palette module).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nodeRedCommand } from '../helpers/hostModules';
import { endChild } from '../helpers/childProcess';
import { freePort } from '../helpers/ports';
import { sleep } from '../helpers/simulator';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** Admin route (served by settings.js) that tells the test where the in-process shared simulator listens. */
export const SIMULATOR_INFO_PATH = '/stellantis-test/simulator';

export interface NodeRedProcess {
  url: string;
  userDir: string;
  /** Everything Node-RED printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** The nodes Node-RED will load: package.json's `node-red.nodes` map, checked against the files. */
export function nodeRedNodesMap(): Record<string, string> {
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { 'node-red'?: { nodes?: Record<string, string> } };
  const nodes = pkg['node-red']?.nodes;
  if (!nodes || Object.keys(nodes).length === 0) {
    throw new Error('package.json has no "node-red": { "nodes": {...} } map, so Node-RED cannot find the Stellantis nodes');
  }
  for (const [name, file] of Object.entries(nodes)) {
    if (!fs.existsSync(path.join(PROJECT_ROOT, file))) throw new Error(`package.json node-red.nodes.${name}: ${file} does not exist`);
  }
  return nodes;
}

function settingsFile(simulatorModule: string, simulatorScale: number, lang?: string): string {
  return `// Written by test/browser/nodeRedProcess.ts for one run.
const { sharedSimulator } = require(${JSON.stringify(simulatorModule)});
module.exports = {
${lang ? `  lang: ${JSON.stringify(lang)},\n` : ''}  uiHost: '127.0.0.1',
  flowFile: 'flows.json',
  credentialSecret: 'browser-test-only',
  telemetry: { enabled: false, updateNotification: false },
  editorTheme: { tours: false, projects: { enabled: false }, palette: { catalogues: [] } },
  logging: { console: { level: 'info', metrics: false, audit: false } },
  // Test-only window on the simulator the account node starts inside this Node-RED.
  httpAdminMiddleware: function (req, res, next) {
    if (req.method !== 'GET' || req.path !== ${JSON.stringify(SIMULATOR_INFO_PATH)}) return next();
    const running = sharedSimulator(${simulatorScale});
    if (!running) return res.status(404).json({ error: 'no simulator running' });
    running.then((sim) => res.json({ url: sim.url }), (err) => res.status(500).json({ error: String(err && err.message) }));
  },
};
`;
}

/** Starts Node-RED with the package installed; resolves once the editor answers. */
/** `lang`: the runtime language (Node-RED's `lang` setting), for the texts under the nodes. */
export async function startNodeRed(simulatorScale: number, lang?: string): Promise<NodeRedProcess> {
  nodeRedNodesMap();
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nr-browser-'));
  fs.mkdirSync(path.join(userDir, 'node_modules'));
  fs.symlinkSync(PROJECT_ROOT, path.join(userDir, 'node_modules', 'homebridge-stellantis'), 'dir');
  const simulatorModule = path.join(PROJECT_ROOT, 'dist', 'nodes', 'src', 'lib', 'sharedSimulator.js');
  fs.writeFileSync(path.join(userDir, 'settings.js'), settingsFile(simulatorModule, simulatorScale, lang));

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child: ChildProcess = spawn(process.execPath, [nodeRedCommand(), '-u', userDir, '-p', String(port)], {
    cwd: userDir,
    env: { ...process.env, NODE_RED_HOME: userDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    await endChild(child, exited);
    fs.rmSync(userDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`Node-RED exited with code ${child.exitCode}:\n${log}`);
    }
    // Node-RED logs in its runtime language: with another than English, the editor answering is enough.
    if (/Started flows/.test(log) || lang) {
      try {
        const res = await fetch(`${url}/settings`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Node-RED did not start within 30 s:\n${log}`);
    }
    await sleep(100);
  }
  return { url, userDir, output: () => log, stop };
}

/** The compiled nodes must be current: Node-RED loads dist/, not the TypeScript sources. */
export function ensureBuilt(): void {
  const sources = fs.readdirSync(path.join(PROJECT_ROOT, 'nodes', 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const stale = sources.some((f) => {
    const js = path.join(PROJECT_ROOT, 'dist', 'nodes', 'src', f.replace(/\.ts$/, '.js'));
    return !fs.existsSync(js) || fs.statSync(js).mtimeMs < fs.statSync(path.join(PROJECT_ROOT, 'nodes', 'src', f)).mtimeMs;
  });
  if (stale) execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
}

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function postJson(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
}
