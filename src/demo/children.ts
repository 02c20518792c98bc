/**
 * Child processes of the demo (Homebridge, Node-RED). Each runs in a process group of its own, so
 * that Ctrl-C in the terminal reaches only the demo, which then stops each group and waits for it.
 */
import { spawn } from 'node:child_process';
import * as readline from 'node:readline';

export interface ManagedChild {
  readonly name: string;
  readonly pid: number;
  /** Settles with the exit code (or the signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  readonly running: boolean;
  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Each line of its stdout and stderr. */
  onLine: (line: string) => void;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

export function startChild(spec: ChildSpec): ManagedChild {
  const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`${spec.name}: could not start ${spec.command}`);
  const pid = child.pid;
  let running = true;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      resolve(code ?? signal ?? 'unknown');
    });
    child.once('error', (err) => {
      running = false;
      spec.onLine(`could not run ${spec.command}: ${err.message}`);
      resolve('error');
    });
  });
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', spec.onLine);
  }
  let stopping: Promise<void> | undefined;
  return {
    name: spec.name,
    pid,
    exited,
    get running() {
      return running;
    },
    stop(graceMs = 10_000) {
      stopping ??= (async () => {
        if (running) {
          signalGroup(pid, 'SIGTERM');
          const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
          await exited;
          clearTimeout(timer);
        }
        // Anything it left behind in its group goes too.
        signalGroup(pid, 'SIGKILL');
      })();
      return stopping;
    },
  };
}
