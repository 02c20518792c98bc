/**
 * The real Node-RED runtime (node-red-node-test-helper over the host's node-red) with the Stellantis nodes
 * loaded from their TypeScript sources (through tsx), RED.httpNode served by the test server under
 * httpNodeRoot (as Node-RED's own server does), and the built-in simulator shared by the accounts.
 */
import { until as waitUntil } from '../helpers/until';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EventEmitter } from 'node:events';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import helper from 'node-red-node-test-helper';
import accountNodes from '../../nodes/src/stellantis-account';
import remoteNodes from '../../nodes/src/stellantis-remote';
import eventsNodes from '../../nodes/src/stellantis-events';
import statusNodes from '../../nodes/src/stellantis-status';
import type { NodeAPI, NodeMessage } from '../../nodes/src/lib/red';
import type { AccountRuntime } from '../../nodes/src/lib/accountRuntime';
import { acquireSimulator, stopSharedSimulators } from '../../nodes/src/lib/sharedSimulator';
import type { RunningSimulator } from '../../src/simulator';
import { nodeRedRuntimePath } from '../helpers/hostModules';

export { helper };

/** Simulated delays run 500 times faster than real ones. */
export const SCALE = 0.002;
export const NODE_ROOT = '/red';

let currentRed: NodeAPI | undefined;

/** Captures the node API of each load, to reach its RED.httpNode and RED.httpAdmin. */
function captureRed(RED: NodeAPI): void {
  currentRed = RED;
}

export const NODE_MODULES = [captureRed, accountNodes, remoteNodes, eventsNodes, statusNodes];

export function red(): NodeAPI {
  if (!currentRed) throw new Error('no flow loaded');
  return currentRed;
}

/** What debug nodes show in the sidebar from now on (they publish it on the runtime's comms events). */
export function debugOutput(): Array<{ name?: string; msg?: string }> {
  const shown: Array<{ name?: string; msg?: string }> = [];
  const events = (red() as unknown as { events: EventEmitter }).events;
  events.on('comms', (e: { topic?: string; data?: { name?: string; msg?: string } }) => {
    if (e.topic === 'debug' && e.data) shown.push(e.data);
  });
  return shown;
}

let userDir = '';

export async function startNodeRed(): Promise<void> {
  // The Node-RED of the host leg (the project's 4.x, or 5.x from STELLANTIS_HOST_MODULES).
  helper.init(nodeRedRuntimePath());
  await helper.startServer();
  // Node-RED serves RED.httpNode under httpNodeRoot on its own server; the test helper does not, so do it here.
  const app = (helper as unknown as { _app: Express })._app;
  app.use(NODE_ROOT, (req: Request, res: Response, next: NextFunction) => {
    if (!currentRed) return next();
    (currentRed.httpNode as unknown as RequestHandler)(req, res, next);
  });
}

export async function stopNodeRed(): Promise<void> {
  await stopSharedSimulators();
  await helper.stopServer();
}

/** A fresh user dir and settings for the next load. */
export function freshSettings(extra: Record<string, unknown> = {}): string {
  userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nr-stellantis-'));
  helper.settings({ userDir, httpNodeRoot: NODE_ROOT, ...extra });
  return userDir;
}

export async function load(flow: unknown[], credentials: Record<string, unknown> = {}): Promise<void> {
  await helper.load(NODE_MODULES, flow, credentials);
}

export async function unload(): Promise<void> {
  await helper.unload();
  currentRed = undefined;
  if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
  userDir = '';
}

export function node(id: string): EventEmitter & Record<string, unknown> {
  const n = helper.getNode(id);
  if (!n) throw new Error(`no node ${id}`);
  return n;
}

export function account(id: string): AccountRuntime {
  const runtime = node(id).stellantis as AccountRuntime | undefined;
  if (!runtime) throw new Error(`${id} is not an account node`);
  return runtime;
}

/**
 * Starts the shared simulator before any flow (so tests know the vehicle ids) and holds it until
 * stopNodeRed(): account nodes then share this very instance.
 */
export async function holdSimulator(): Promise<RunningSimulator> {
  const sim = await acquireSimulator(SCALE);
  // Tests start many accounts in a row: no per-second quota in the way.
  sim.control.setRateLimit({ perSecond: 10_000, perDay: 1_000_000 });
  return sim;
}

/**
 * Deletes every B2C callback of the simulated account (and with them their monitors), so that
 * each test starts with the whole monitor allowance. Through the API, as a user would.
 */
export async function clearCallbacks(sim: RunningSimulator): Promise<void> {
  const { access_token: token } = sim.issueTokens();
  const headers = { authorization: `Bearer ${token}`, 'x-introspect-realm': sim.account.realm };
  const query = `client_id=${encodeURIComponent(sim.account.clientId)}`;
  const list = (await (await fetch(`${sim.b2cBaseUrl}/user/callbacks?${query}&pageSize=60`, { headers })).json()) as {
    _embedded?: { callbacks?: Array<{ id: string }> };
  };
  for (const cb of list._embedded?.callbacks ?? []) {
    await fetch(`${sim.b2cBaseUrl}/user/callbacks/${cb.id}?${query}`, { method: 'DELETE', headers });
  }
}

/** Puts the shared simulator's cars back in a plain state (and its callbacks away) between tests. */
export async function resetSimulator(sim: RunningSimulator): Promise<void> {
  await clearCallbacks(sim);
  resetVehicles(sim);
}

export function resetVehicles(sim: RunningSimulator): void {
  sim.control.resumeDelivery();
  for (const v of sim.vehicles) {
    sim.control.setVehicle(v.id, {
      asleep: false,
      deepSleep: false,
      online: true,
      doorsOpen: false,
      locked: true,
      stolen: false,
      immobilized: false,
      preconditioning: false,
      ...(v.kind === 'electric' ? { plugged: true, charging: false } : {}),
    });
  }
}


/** Waits until the account is ready (or fails with its status text). */
export async function accountReady(id: string): Promise<AccountRuntime> {
  const runtime = account(id);
  await runtime.whenReady(10_000);
  return runtime;
}

/**
 * The next message a helper node receives. (Node-RED iterates a node's input callbacks by index:
 * a callback removing itself during that loop would make it skip the next one, so removal waits.)
 */
export function nextMessage(helperId: string, timeoutMs = 8000): Promise<NodeMessage> {
  const n = node(helperId);
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      n.removeListener('input', onInput);
      reject(new Error(`no message at ${helperId} within ${timeoutMs} ms`));
    }, timeoutMs);
    // A wait nobody needs any more (the other output won a race) must not keep the process alive.
    timer.unref();
    function onInput(msg: NodeMessage): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      setImmediate(() => n.removeListener('input', onInput));
      resolve(msg);
    }
    n.on('input', onInput);
  });
}

/** Every message a helper node receives, in order. */
export function collect(helperId: string): NodeMessage[] {
  const list: NodeMessage[] = [];
  node(helperId).on('input', (msg: NodeMessage) => list.push(msg));
  return list;
}

/** What a node logged at error level through the runtime's log (node.error). */
export function loggedErrors(nodeId: string): string[] {
  const spy = helper.log() as unknown as { args: Array<[{ level?: number; id?: string; msg?: unknown }]> };
  return spy.args
    .map(([entry]) => entry)
    .filter((e) => e.id === nodeId && e.level === 20)
    .map((e) => (e.msg instanceof Error ? e.msg.message : String(e.msg)));
}

/** Every line a node logged through the runtime's log, whatever its level. */
export function loggedLines(nodeId: string): string[] {
  const spy = helper.log() as unknown as { args: Array<[{ id?: string; msg?: unknown }]> };
  return spy.args
    .map(([entry]) => entry)
    .filter((e) => e.id === nodeId)
    .map((e) => (e.msg instanceof Error ? e.msg.message : String(e.msg)));
}

export function send(nodeId: string, msg: NodeMessage): void {
  (node(nodeId) as unknown as { receive(m: NodeMessage): void }).receive(msg);
}

/** `until` with a longer default: Node-RED's runtime adds its own delays. */
export function until(check: () => boolean, timeoutMs = 8000, what = 'condition'): Promise<void> {
  return waitUntil(check, timeoutMs, what);
}

/** The shared simulator and its two cars, as the Node-RED test files use them. */
export interface NodeRedSetUp {
  sim: RunningSimulator;
  ev: string;
  thermal: string;
}

export interface NodeRedHooks {
  /** After the runtime and the simulator started: the place to take the set-up's parts. */
  started?: (setUp: NodeRedSetUp) => void;
  /** After the simulator's reset, before each test. */
  beforeEach?: (setUp: NodeRedSetUp) => void | Promise<void>;
  /** Before the flow's unload, after each test. */
  afterEach?: (setUp: NodeRedSetUp) => void | Promise<void>;
  /** Before the runtime stops, after the file's tests. */
  after?: () => void | Promise<void>;
}

/**
 * The hooks every Node-RED test file has: the runtime and the held simulator for the file, the
 * simulator reset before each test and the flow unloaded after it.
 */
export function useNodeRed(hooks: NodeRedHooks = {}): void {
  let setUp: NodeRedSetUp | undefined;
  const current = (): NodeRedSetUp => {
    if (!setUp) throw new Error('the Node-RED set-up did not start');
    return setUp;
  };
  before(async () => {
    await startNodeRed();
    const sim = await holdSimulator();
    const idOf = (kind: string): string => sim.vehicles.find((v) => v.kind === kind)?.id ?? '';
    setUp = { sim, ev: idOf('electric'), thermal: idOf('thermal') };
    hooks.started?.(setUp);
  });
  after(async () => {
    await hooks.after?.();
    await stopNodeRed();
  });
  beforeEach(async () => {
    await resetSimulator(current().sim);
    await hooks.beforeEach?.(current());
  });
  afterEach(async () => {
    if (setUp) await hooks.afterEach?.(setUp);
    await unload();
  });
}

/** A simulator account node plus the usual wiring ids. */
export function simAccount(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, type: 'stellantis-account', name: `account ${id}`, simulator: true, simulatorTimeScale: SCALE, monitors: true, ...extra };
}
