/** Ending a child process a test started (Node-RED, the Homebridge UI...). */
import type { ChildProcess } from 'node:child_process';

/** SIGTERM, then SIGKILL if it is still there after `graceMs`; resolves once it exited (at once if it had). */
export async function endChild(child: ChildProcess, exited: Promise<unknown>, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
