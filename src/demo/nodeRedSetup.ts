/**
 * The demo's Node-RED: a user dir (<demo dir>/node-red) with a settings file, this package's nodes
 * (linked into the user dir's node_modules when package.json declares them, else loaded through
 * nodesDir), and a flows file: a "Stellantis demo" tab wired to the account, plus every example of
 * examples/*.json on a tab of its own, disabled until the user enables it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AccountConfig } from '../config/account';
import { errorText } from '../util/errorText';

export const DEMO_IDS = {
  tab: 'stellantis-demo-tab',
  account: 'stellantisdemoaccount',
  injectLock: 'stellantis-demo-inject-lock',
  injectUnlock: 'stellantis-demo-inject-unlock',
  remote: 'stellantis-demo-remote',
  events: 'stellantis-demo-events',
  injectStatus: 'stellantis-demo-inject-status',
  status: 'stellantis-demo-status',
} as const;

export interface NodeRedAccount {
  /** The account node's name in the editor. */
  label: string;
  config: AccountConfig;
  /** The webhook as Node-RED serves it: on httpNode at `path`, posted to by Stellantis at publicUrl (+ path). */
  webhookPath?: string;
  publicUrl?: string;
  monitors: boolean;
}

export interface NodeRedFiles {
  userDir: string;
  settingsFile: string;
  flowsFile: string;
  /** Where the account node keeps its files (tokens among them). */
  accountStorageDir: string;
}

type FlowNode = Record<string, unknown> & { id: string; type: string };

function declaresNodes(root: string): boolean {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { 'node-red'?: { nodes?: unknown } };
    return typeof pkg['node-red']?.nodes === 'object' && pkg['node-red'].nodes !== null;
  } catch {
    return false;
  }
}

/** Makes this package loadable by Node-RED; returns the nodesDir to use when it cannot be installed as a module. */
function installNodes(root: string, userDir: string): string | undefined {
  const modules = path.join(userDir, 'node_modules');
  const link = path.join(modules, 'homebridge-stellantis');
  fs.rmSync(link, { force: true, recursive: false });
  if (!declaresNodes(root)) return path.join(root, 'nodes');
  fs.mkdirSync(modules, { recursive: true });
  fs.symlinkSync(root, link, 'dir');
  return undefined;
}

function accountNode(account: NodeRedAccount): FlowNode {
  const c = account.config;
  const cert = c.certificate;
  return {
    id: DEMO_IDS.account,
    type: 'stellantis-account',
    name: account.label,
    simulator: false,
    simulatorTimeScale: 1,
    flavour: c.flavour ?? 'b2c',
    brand: c.brand ?? '',
    fleetId: c.fleetId ?? '',
    clientId: c.clientId,
    username: c.username ?? '',
    redirectUri: c.redirectUri ?? '',
    certFile: cert?.cert ?? '',
    keyFile: cert?.key ?? '',
    caFile: cert?.ca ?? '',
    webhookMode: 'node-red',
    webhookPath: account.webhookPath ?? '',
    publicUrl: account.publicUrl ?? '',
    listenHost: '0.0.0.0',
    listenPort: 8765,
    monitors: account.monitors,
    vehicles: (c.vehicles ?? []).map((v) => ({ id: v.id, name: v.name ?? v.id })),
    realm: c.realm ?? '',
    oauthUrl: c.oauthUrl ?? '',
    baseUrl: c.baseUrl ?? '',
    statusIntervalMinutes: c.statusIntervalMinutes ?? 30,
  };
}

function demoTab(vehicleId: string): FlowNode[] {
  const z = DEMO_IDS.tab;
  const inject = (id: string, name: string, payload: string, y: number, wire: string): FlowNode => ({
    id, type: 'inject', z, name, props: [{ p: 'payload' }], repeat: '', crontab: '', once: false, onceDelay: 0.1, topic: '',
    payload, payloadType: 'str', x: 140, y, wires: [[wire]],
  });
  const debug = (id: string, name: string, y: number): FlowNode => ({
    id, type: 'debug', z, name, active: true, tosidebar: true, console: false, tostatus: false, complete: 'true', targetType: 'full',
    statusVal: '', statusType: 'auto', x: 640, y, wires: [],
  });
  return [
    { id: z, type: 'tab', label: 'Stellantis demo', disabled: false,
      info: 'The simulated car, as the demo started it. Press the buttons of the inject nodes; the debug sidebar shows each step.' },
    inject(DEMO_IDS.injectLock, 'Lock the car', 'lock', 60, DEMO_IDS.remote),
    inject(DEMO_IDS.injectUnlock, 'Unlock the car', 'unlock', 100, DEMO_IDS.remote),
    { id: DEMO_IDS.remote, type: 'stellantis-remote', z, name: 'Doors', account: DEMO_IDS.account, vehicle: vehicleId, action: 'lock',
      at: '', level: '', chargeType: '', programs: [], deleteSlots: '', points: '', wait: true, progress: true, allowOverride: true, outputs: 3,
      x: 380, y: 80, wires: [['stellantis-demo-debug-done'], ['stellantis-demo-debug-failed'], ['stellantis-demo-debug-steps']] },
    debug('stellantis-demo-debug-done', 'done', 40),
    debug('stellantis-demo-debug-failed', 'failed', 80),
    debug('stellantis-demo-debug-steps', 'steps', 120),
    { id: DEMO_IDS.events, type: 'stellantis-events', z, name: 'Every notification', account: DEMO_IDS.account, vehicle: '', remote: true,
      monitor: true, state: true, x: 160, y: 200, wires: [['stellantis-demo-debug-events']] },
    debug('stellantis-demo-debug-events', 'notifications', 200),
    inject(DEMO_IDS.injectStatus, 'Read the state', '', 280, DEMO_IDS.status),
    { id: DEMO_IDS.status, type: 'stellantis-status', z, name: 'State', account: DEMO_IDS.account, vehicle: vehicleId, source: 'api', raw: false,
      x: 380, y: 280, wires: [['stellantis-demo-debug-status']] },
    debug('stellantis-demo-debug-status', 'state', 280),
  ];
}

function isFlowNode(value: unknown): value is FlowNode {
  return typeof value === 'object' && value !== null && typeof (value as FlowNode).id === 'string' && typeof (value as FlowNode).type === 'string';
}

/** Replaces, deep inside `value`, every string that is a key of `ids` by its value. */
function remap(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return ids.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => remap(v, ids));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, remap(v, ids)]));
  }
  return value;
}

/** Each example flow on a disabled tab of its own, its account nodes replaced by the demo's account. */
export function exampleTabs(examplesDir: string, warn: (line: string) => void): FlowNode[] {
  let files: string[];
  try {
    files = fs.readdirSync(examplesDir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const out: FlowNode[] = [];
  files.forEach((file, index) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(path.join(examplesDir, file), 'utf8'));
    } catch (err) {
      warn(`examples/${file} skipped: not valid JSON (${errorText(err)})`);
      return;
    }
    const nodes = (Array.isArray(parsed) ? parsed : []).filter(isFlowNode);
    if (nodes.length === 0) return;
    const tabId = `stellantis-example-${index + 1}`;
    const ids = new Map<string, string>();
    for (const n of nodes) {
      if (n.type === 'stellantis-account') ids.set(n.id, DEMO_IDS.account);
      else if (n.type === 'tab') ids.set(n.id, tabId);
      else ids.set(n.id, `${tabId}-${n.id}`);
    }
    const title = nodes.find((n) => n.type === 'tab' && typeof n.label === 'string')?.label ?? file.replace(/\.json$/, '').replace(/[-_]+/g, ' ');
    out.push({ id: tabId, type: 'tab', label: `Example: ${String(title)}`, disabled: true,
      info: `From examples/${file}. Enable this flow (its tab menu) to run it against the demo's car.` });
    for (const n of nodes) {
      if (n.type === 'stellantis-account' || n.type === 'tab') continue;
      const copy = remap(n, ids) as FlowNode;
      // Exported examples often have no z: flow nodes (wired or placed) go on the example's tab, config nodes stay global.
      if ((typeof n.z === 'string' && n.z !== '') || Array.isArray(n.wires) || typeof n.x === 'number') copy.z = tabId;
      out.push(copy);
    }
  });
  return out;
}

function settingsText(files: { flowFile: string; nodesDir?: string }): string {
  const settings = {
    uiHost: '127.0.0.1',
    flowFile: files.flowFile,
    flowFilePretty: true,
    // The demo writes the credentials file itself; it stays in the git-ignored demo folder.
    credentialSecret: false,
    httpNodeRoot: '/',
    ...(files.nodesDir ? { nodesDir: [files.nodesDir] } : {}),
    logging: { console: { level: 'info', metrics: false, audit: false } },
    externalModules: { autoInstall: false, palette: { allowInstall: false } },
    telemetry: { enabled: false },
    diagnostics: { enabled: false },
    editorTheme: { projects: { enabled: false }, tours: false },
  };
  return `// Written by the demo (npm start) on every start.\nmodule.exports = ${JSON.stringify(settings, null, 2)};\n`;
}

export function writeNodeRedFiles(
  root: string,
  demoDir: string,
  account: NodeRedAccount,
  warn: (line: string) => void,
): NodeRedFiles {
  const userDir = path.join(demoDir, 'node-red');
  fs.mkdirSync(userDir, { recursive: true, mode: 0o700 });
  const nodesDir = installNodes(root, userDir);
  const flowsFile = path.join(userDir, 'flows.json');
  const settingsFile = path.join(userDir, 'settings.js');
  fs.writeFileSync(settingsFile, settingsText({ flowFile: 'flows.json', nodesDir }));
  const firstVehicle = account.config.vehicles?.[0]?.id ?? '';
  const flows = [...demoTab(firstVehicle), accountNode(account), ...exampleTabs(path.join(root, 'examples'), warn)];
  fs.writeFileSync(flowsFile, `${JSON.stringify(flows, null, 2)}\n`);
  const credentials: Record<string, Record<string, string>> = {};
  const c = account.config;
  const secret: Record<string, string> = {};
  if (c.clientSecret) secret.clientSecret = c.clientSecret;
  if (c.password) secret.password = c.password;
  if (c.certificate?.passphrase) secret.passphrase = c.certificate.passphrase;
  credentials[DEMO_IDS.account] = secret;
  fs.writeFileSync(path.join(userDir, 'flows_cred.json'), `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return { userDir, settingsFile, flowsFile, accountStorageDir: path.join(userDir, 'stellantis', DEMO_IDS.account) };
}

export function nodeRedCommand(root: string, files: NodeRedFiles, port: number): { command: string; args: string[] } {
  const red = require.resolve('node-red/red.js', { paths: [root] });
  return { command: process.execPath, args: [red, '-u', files.userDir, '-s', files.settingsFile, '-p', String(port)] };
}
