/**
 * Options of the one-terminal demo (`npm start`): ports, time scale, a real account instead of the
 * simulator. Every option has an environment equivalent; a bad value names the option to fix.
 */
import * as path from 'node:path';

export interface DemoOptions {
  /** The project root (the plugin Homebridge and Node-RED load). */
  root: string;
  /** Where the demo keeps its state (Homebridge storage, Node-RED user dir, certificates). */
  demoDir: string;
  homekitPort: number;
  noderedPort: number;
  simulatorPort: number;
  /** The public HTTPS entry the simulated Stellantis posts notifications to. */
  webhookPort: number;
  /** Simulated time multiplier (0.1: a sleeping car wakes in a few seconds). */
  timeScale: number;
  /** A real account (the shared AccountConfig as JSON): no simulator. */
  configFile?: string;
  /** Run the scripted scene once everything is up. */
  scene: boolean;
  help: boolean;
}

export class DemoUsageError extends Error {
  override readonly name = 'DemoUsageError';
}

interface PortOption {
  key: 'homekitPort' | 'noderedPort' | 'simulatorPort' | 'webhookPort';
  flag: string;
  env: string;
  fallback: number;
}

export const PORT_OPTIONS: readonly PortOption[] = [
  { key: 'homekitPort', flag: '--homekit-port', env: 'DEMO_HOMEKIT_PORT', fallback: 51826 },
  { key: 'noderedPort', flag: '--nodered-port', env: 'DEMO_NODERED_PORT', fallback: 1880 },
  { key: 'simulatorPort', flag: '--simulator-port', env: 'DEMO_SIMULATOR_PORT', fallback: 7700 },
  { key: 'webhookPort', flag: '--webhook-port', env: 'DEMO_WEBHOOK_PORT', fallback: 8765 },
];

export const DEMO_HELP = `Usage: npm start -- [options]

Starts, in this terminal, the Stellantis simulator, a real Homebridge with this plugin and a real
Node-RED with these nodes, all on the same (simulated) car, then plays a short scene.

  --homekit-port N     HomeKit bridge port (env DEMO_HOMEKIT_PORT, default 51826)
  --nodered-port N     Node-RED editor port (env DEMO_NODERED_PORT, default 1880)
  --simulator-port N   simulator port (env DEMO_SIMULATOR_PORT, default 7700)
  --webhook-port N     HTTPS webhook entry port (env DEMO_WEBHOOK_PORT, default 8765)
  --time-scale X       simulated time: 1 = real timing, 0.1 = ten times faster (env DEMO_TIME_SCALE, default 0.1)
  --config FILE        a real account (AccountConfig JSON): no simulator (env STELLANTIS_CONFIG)
  --demo-dir DIR       where the demo keeps its files (env DEMO_DIR, default .demo)
  --no-scene           do not play the scripted scene
  -h, --help           this help

Ctrl-C stops everything.`;

function portOf(text: string, name: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(n) || n < 1 || n > 65535) {
    throw new DemoUsageError(`${name}: '${text}' is not a port; give a whole number from 1 to 65535`);
  }
  return n;
}

function timeScaleOf(text: string, name: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0.001 || n > 10) {
    throw new DemoUsageError(`${name}: '${text}' is not a time scale; give a number from 0.001 to 10 (1 = real timing)`);
  }
  return n;
}

export function parseDemoArgs(argv: readonly string[], env: NodeJS.ProcessEnv, root: string): DemoOptions {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const valued = new Set([...PORT_OPTIONS.map((p) => p.flag), '--time-scale', '--config', '--demo-dir']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (valued.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new DemoUsageError(`${name} needs a value`);
      values.set(name, value);
    } else if (name === '--no-scene' || name === '--help' || name === '-h') {
      flags.add(name === '-h' ? '--help' : name);
    } else {
      throw new DemoUsageError(`unknown option '${arg}'; see --help`);
    }
  }
  const pick = (flag: string, envName: string): { text: string; name: string } | undefined => {
    const fromArg = values.get(flag);
    if (fromArg !== undefined) return { text: fromArg, name: flag };
    const fromEnv = env[envName];
    return fromEnv !== undefined && fromEnv !== '' ? { text: fromEnv, name: envName } : undefined;
  };
  const ports = {} as Record<PortOption['key'], number>;
  for (const p of PORT_OPTIONS) {
    const given = pick(p.flag, p.env);
    ports[p.key] = given ? portOf(given.text, given.name) : p.fallback;
  }
  const seen = new Map<number, string>();
  for (const p of PORT_OPTIONS) {
    const other = seen.get(ports[p.key]);
    if (other) throw new DemoUsageError(`${p.flag} and ${other} are both ${ports[p.key]}; give each its own port`);
    seen.set(ports[p.key], p.flag);
  }
  const scale = pick('--time-scale', 'DEMO_TIME_SCALE');
  const config = pick('--config', 'STELLANTIS_CONFIG');
  const dir = pick('--demo-dir', 'DEMO_DIR');
  return {
    root,
    demoDir: path.resolve(root, dir?.text ?? '.demo'),
    ...ports,
    timeScale: scale ? timeScaleOf(scale.text, scale.name) : 0.1,
    ...(config ? { configFile: path.resolve(config.text) } : {}),
    scene: !flags.has('--no-scene'),
    help: flags.has('--help'),
  };
}
