/**
 * The load generator in its own process, so that the server under test has the main event loop
 * to itself (on a CPU of its own where possible): the parent sends the options over IPC and gets the result back.
 */
import { forkOnLoadCpu } from './cpuPinning';
import { runLoad, type LoadOptions, type LoadResult } from './loadgen';

/** Runs the load from a child process; bodies are used in turn. */
export function runLoadInChild(opts: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = forkOnLoadCpu(__filename, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (result: LoadResult) => {
      child.kill();
      resolve(result);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== null && code !== 0) reject(new Error(`load generator exited with ${code}`));
    });
    child.send(opts);
  });
}

if (require.main === module) {
  process.once('message', (opts: LoadOptions) => {
    void runLoad(opts).then((result) => process.send?.(result));
  });
}
