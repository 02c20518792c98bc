/**
 * Keeps the server under test and the load generator on different CPUs (Linux `taskset`), so that
 * neither waits for the other's time slice: on a 2-CPU machine, unpinned runs vary by ±20% from one
 * run to the next. Where taskset or a second CPU is missing, nothing is pinned and the figures are noisier.
 */
import { execFileSync, fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import * as os from 'node:os';

const TASKSET = '/usr/bin/taskset';

function canPin(): boolean {
  if (os.availableParallelism() < 2) return false;
  try {
    execFileSync(TASKSET, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const pinning = canPin();

/** The CPU of the servers under test (this process). */
export const SERVER_CPU = 1;
/** The CPU of the load generator. */
export const LOAD_CPU = 0;

/** Pins this process (all its threads) to the server CPU; says what it did. */
export function pinServerProcess(): string {
  if (!pinning) return 'CPUs not pinned (needs taskset and 2 CPUs)';
  execFileSync(TASKSET, ['-a', '-c', '-p', String(SERVER_CPU), String(process.pid)], { stdio: 'ignore' });
  return `server on CPU ${SERVER_CPU}, load generator on CPU ${LOAD_CPU}`;
}

/** fork() of a TypeScript module (through tsx), on the load generator's CPU when pinning is possible. */
export function forkOnLoadCpu(modulePath: string, options: ForkOptions = {}): ChildProcess {
  const node = [process.execPath, '--import', 'tsx'];
  return pinning
    ? fork(modulePath, [], { ...options, execPath: TASKSET, execArgv: ['-c', String(LOAD_CPU), ...node] })
    : fork(modulePath, [], { ...options, execArgv: node.slice(1) });
}
