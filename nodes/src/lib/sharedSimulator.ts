/**
 * The built-in simulator, started in-process on first use and shared by every account node of the
 * runtime that has `simulator` ticked (one instance per time scale). It stays up for a short grace
 * period after the last account lets go, so that a redeploy finds the same simulated cars, tokens
 * and callbacks again instead of a fresh world.
 */
import { startSimulator, type RunningSimulator } from '../../../src/simulator';

interface Entry {
  starting: Promise<RunningSimulator>;
  users: number;
  stopTimer?: NodeJS.Timeout;
}

const running = new Map<number, Entry>();

/** Milliseconds the simulator outlives its last user (a redeploy stops then starts the nodes). */
export const SIMULATOR_GRACE_MS = 3000;

export async function acquireSimulator(timeScale: number): Promise<RunningSimulator> {
  let entry = running.get(timeScale);
  if (!entry) {
    const starting = startSimulator({ port: 0, host: '127.0.0.1', timeScale });
    entry = { starting, users: 0 };
    running.set(timeScale, entry);
    starting.catch(() => running.delete(timeScale));
  }
  entry.users += 1;
  if (entry.stopTimer) {
    clearTimeout(entry.stopTimer);
    entry.stopTimer = undefined;
  }
  return entry.starting;
}

export function releaseSimulator(timeScale: number): void {
  const entry = running.get(timeScale);
  if (!entry) return;
  entry.users = Math.max(0, entry.users - 1);
  if (entry.users > 0 || entry.stopTimer) return;
  entry.stopTimer = setTimeout(() => {
    if (running.get(timeScale) === entry && entry.users === 0) void stopEntry(timeScale, entry);
  }, SIMULATOR_GRACE_MS);
  entry.stopTimer.unref();
}

async function stopEntry(timeScale: number, entry: Entry): Promise<void> {
  running.delete(timeScale);
  if (entry.stopTimer) clearTimeout(entry.stopTimer);
  try {
    const sim = await entry.starting;
    await sim.stop();
  } catch {
    // A simulator that failed to start has nothing to stop.
  }
}

/** Stops every shared simulator at once (tests; Node-RED itself simply exits). */
export async function stopSharedSimulators(): Promise<void> {
  await Promise.all([...running.entries()].map(([scale, entry]) => stopEntry(scale, entry)));
}

/** The running shared simulator for a time scale, if any (tests read its call counters). */
export function sharedSimulator(timeScale: number): Promise<RunningSimulator> | undefined {
  return running.get(timeScale)?.starting;
}
