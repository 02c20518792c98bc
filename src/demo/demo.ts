/**
 * `npm start`: the whole demo in one terminal. The simulator (in this process, over mutual TLS like
 * the real API), the HTTPS webhook entry, a real Homebridge and a real Node-RED as child processes,
 * both faces on the same simulated car; then a short scripted scene. stop() ends everything.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AccountConfig } from '../config/account';
import { validateAccountConfig } from '../config/validate';
import { accountTokenStore } from '../engine/clients';
import { accountKeyOf, storageFile } from '../engine/storageFiles';
import { seedSimulatorTokens, simulatedAccountConfig, startSimulator, type RunningSimulator } from '../simulator';
import { ensureDemoPki, type DemoPki } from './certs';
import { startChild, type ManagedChild } from './children';
import { HOMEBRIDGE_WEBHOOK_PATH, NODE_RED_WEBHOOK_PATH, realAccountFaces, simulatorFaces, type FaceConfigs } from './faces';
import { homebridgeCommand, writeHomebridgeConfig, type HomebridgeFiles } from './homebridgeSetup';
import { describeMessage, messagesOf } from './narration';
import { nodeRedCommand, writeNodeRedFiles, type NodeRedFiles } from './nodeRedSetup';
import type { DemoOptions } from './options';
import { busyPorts, freePort } from './ports';
import { renderQr } from './qr';
import { httpRequest, waitUntil } from './readiness';
import { playScene, SceneWatch } from './scene';
import { startWebhookFront, type RunningFront } from './webhookFront';
import { errorText } from '../util/errorText';

export type Printer = (line: string) => void;

/** A problem the user fixes (busy port, bad config, missing build): printed as is, exit code 2. */
export class DemoSetupError extends Error {
  override readonly name = 'DemoSetupError';
}

export class DemoCancelled extends Error {
  override readonly name = 'DemoCancelled';
  constructor() {
    super('start-up cancelled');
  }
}

export interface RunningDemo {
  readonly pids: readonly number[];
  /** Settles with a reason when a child process ends on its own (the demo should then stop). */
  readonly childExited: Promise<string>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 80_000;

function checkBuilt(root: string): void {
  const needed = ['dist/src/index.js', 'dist/nodes/src/stellantis-account.js'];
  const missing = needed.filter((f) => !fs.existsSync(path.join(root, f)));
  if (missing.length > 0) throw new DemoSetupError(`not built yet (${missing.join(', ')} missing): run \`npm run build\` first, or use \`npm start\``);
}

function readRealConfig(file: string): { config: AccountConfig; dir: string } {
  let input: unknown;
  try {
    input = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DemoSetupError(code === 'ENOENT' ? `--config: file ${file} not found` : `--config: ${file} is not valid JSON (${errorText(err)})`);
  }
  const dir = path.dirname(file);
  const result = validateAccountConfig(input, { checkFiles: true, baseDir: dir, requireWebhook: true });
  if (!result.ok) {
    throw new DemoSetupError(`--config ${file}: ${result.problems.length} problem(s):\n${result.problems.map((p) => `  ${p.key}: ${p.message}`).join('\n')}`);
  }
  if (result.config.simulator) throw new DemoSetupError(`--config ${file}: "simulator": true; leave --config out to run the demo with its simulator`);
  return { config: input as AccountConfig, dir };
}

/** Tokens for one face, as a completed login would leave them (each face its own: refresh tokens rotate). */
async function seedTokens(sim: RunningSimulator, dir: string): Promise<void> {
  const account = simulatedAccountConfig(sim);
  const key = accountKeyOf(account);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // The simulated world is new on every run: what the engine remembered of the last one would point at nothing.
  for (const kind of ['callback', 'remotes-in-flight', 'vehicle-states'] as const) fs.rmSync(storageFile(dir, kind, key), { force: true });
  await seedSimulatorTokens(sim, accountTokenStore(account, dir));
}

/** Relative to the current folder when inside it (shorter commands to copy), else absolute. */
function shortPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** `cancel` (Ctrl-C during start-up) stops the start at its next step and undoes what it did. */
export async function startDemo(opts: DemoOptions, print: Printer, cancel?: AbortSignal): Promise<RunningDemo> {
  const children: ManagedChild[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  let stopping: Promise<void> | undefined;
  const watch = new SceneWatch();
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      watch.abort();
      await Promise.all(children.map((c) => c.stop()));
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    })();
    return stopping;
  };

  try {
    checkBuilt(opts.root);
    const real = opts.configFile ? readRealConfig(opts.configFile) : undefined;
    const busy = await busyPorts(opts, !real);
    if (busy.length > 0) throw new DemoSetupError(busy.join('\n'));
    fs.mkdirSync(opts.demoDir, { recursive: true, mode: 0o700 });

    let sim: RunningSimulator | undefined;
    let pki: DemoPki | undefined;
    let front: RunningFront | undefined;
    let faces: FaceConfigs;
    if (real) {
      faces = realAccountFaces(real.config, real.dir);
    } else {
      pki = await ensureDemoPki(opts.demoDir);
      sim = await startSimulator({
        host: '127.0.0.1',
        port: opts.simulatorPort,
        timeScale: opts.timeScale,
        tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, requestClientCert: true },
        webhookCa: pki.ca,
      });
      const running = sim;
      cleanups.push(() => running.stop());
      const homebridgeListener = await freePort();
      front = await startWebhookFront({
        port: opts.webhookPort,
        cert: pki.serverCert,
        key: pki.serverKey,
        routes: [
          { prefix: HOMEBRIDGE_WEBHOOK_PATH, name: 'homebridge', target: `http://127.0.0.1:${homebridgeListener}` },
          { prefix: NODE_RED_WEBHOOK_PATH, name: 'node-red', target: `http://127.0.0.1:${opts.noderedPort}` },
        ],
        onMessage: (route, body, status) => {
          for (const m of messagesOf(body)) {
            const text = describeMessage(m);
            if (text) print(`[webhook → ${route.name}] ${text}${status >= 300 ? ` (answered ${status})` : ''}`);
            watch.seen(route.name, m);
          }
        },
      });
      const frontRunning = front;
      cleanups.push(() => frontRunning.close());
      faces = simulatorFaces(sim, pki, front.url, homebridgeListener);
    }

    if (cancel?.aborted) throw new DemoCancelled();
    const hb: HomebridgeFiles = writeHomebridgeConfig(opts.demoDir, opts.homekitPort, faces.homebridge);
    const nr: NodeRedFiles = writeNodeRedFiles(opts.root, opts.demoDir, faces.nodeRed, (line) => print(`[demo] ${line}`));
    if (sim) {
      await seedTokens(sim, hb.pluginStorageDir);
      await seedTokens(sim, nr.accountStorageDir);
    }

    const env: NodeJS.ProcessEnv = { ...process.env, ...(pki ? { NODE_EXTRA_CA_CERTS: pki.caFile } : {}) };
    let setupUri: string | undefined;
    let expectUri = false;
    const hbCmd = homebridgeCommand(opts.root, hb.storageDir);
    children.push(
      startChild({
        name: 'homebridge',
        ...hbCmd,
        cwd: opts.root,
        env,
        onLine: (line) => {
          if (expectUri && line.startsWith('X-HM://')) setupUri = line.trim();
          expectUri = line.trim() === 'Setup Payload:';
          print(`[homebridge] ${line}`);
        },
      }),
    );
    const nrCmd = nodeRedCommand(opts.root, nr, opts.noderedPort);
    children.push(startChild({ name: 'node-red', ...nrCmd, cwd: nr.userDir, env, onLine: (line) => print(`[node-red] ${line}`) }));

    const exitedEarly = (): string | undefined => {
      if (cancel?.aborted) return 'start-up cancelled';
      const gone = children.find((c) => !c.running);
      return gone ? `${gone.name} exited during start-up (see its lines above)` : undefined;
    };
    const deadline = Date.now() + READY_TIMEOUT_MS;
    const homekitUrl = `http://127.0.0.1:${opts.homekitPort}`;
    const noderedUrl = `http://127.0.0.1:${opts.noderedPort}`;
    await waitUntil('HomeKit bridge', async () => (await httpRequest(`${homekitUrl}/accessories`, { timeoutMs: 2000 })).status > 0, deadline, exitedEarly);
    await waitUntil('Node-RED', async () => (await httpRequest(`${noderedUrl}/flows`, { timeoutMs: 2000 })).status === 200, deadline, exitedEarly);
    if (sim) {
      const state = `${sim.url}/_simulator/state`;
      const ca = pki?.ca;
      // Both faces are up once each has registered its callback with the (simulated) Stellantis.
      await waitUntil(
        'Homebridge and Node-RED registering their webhooks',
        async () => {
          const answer = await httpRequest(state, { ca, timeoutMs: 2000 });
          const parsed = JSON.parse(answer.body) as { counters?: { callbacks?: number } };
          return (parsed.counters?.callbacks ?? 0) >= 2;
        },
        deadline,
        exitedEarly,
      );
    }

    print('');
    print('──────────────────────────────────────────────────────────────');
    print(`HomeKit    bridge "Stellantis Demo" on port ${opts.homekitPort}, setup code ${hb.identity.pin}`);
    print('           In the Home app: Add Accessory, scan this code (or enter the setup code):');
    if (setupUri) {
      for (const line of await renderQr(opts.root, setupUri)) print(`           ${line}`);
      print(`           ${setupUri}`);
    }
    print(`Node-RED   ${noderedUrl}/  (tab "Stellantis demo"; the examples are on disabled tabs)`);
    if (front && sim && pki) {
      print(`Webhooks   ${front.url}${HOMEBRIDGE_WEBHOOK_PATH}  (Homebridge)`);
      print(`           ${front.url}${NODE_RED_WEBHOOK_PATH}  (Node-RED)`);
      print(`Simulator  ${sim.url}  time scale ${opts.timeScale}; its CA: ${pki.caFile}`);
      const ca = shortPath(pki.caFile);
      print(`           state:  curl --cacert ${ca} ${sim.url}/_simulator/state`);
      print(`           knobs:  curl --cacert ${ca} -X POST ${sim.url}/_simulator/control/setVehicle -d '{"id":"${sim.vehicles[0].id}","patch":{"doorsOpen":true}}'`);
    } else {
      print(`Account    ${opts.configFile}: real Stellantis account, no simulator.`);
      print(`           Homebridge logs in with the tokens of \`stellantis login --config <file> --storage ${hb.pluginStorageDir}\`;`);
      print('           Node-RED: open the account node, set its Public URL, and log in from there.');
    }
    print(`Processes  ${children.map((c) => `${c.name} pid ${c.pid}`).join(', ')}, demo pid ${process.pid}`);
    print('Stop       Ctrl-C');
    print('──────────────────────────────────────────────────────────────');
    print(`READY homekit=${opts.homekitPort} nodered=${noderedUrl} simulator=${sim ? sim.url : 'none'}`);

    if (sim && opts.scene) {
      const vehicleId = sim.vehicles[0].id;
      const live = sim;
      void playScene({ sim: live, vehicleId, noderedUrl, timeScale: opts.timeScale, watch, print }).catch((err: unknown) => {
        if (!watch.aborted) print(`[scene] stopped: ${errorText(err)}`);
      });
    }

    const childExited = Promise.race(children.map((c) => c.exited.then((code) => `${c.name} exited (${String(code)})`)));
    return { pids: children.map((c) => c.pid), childExited, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
