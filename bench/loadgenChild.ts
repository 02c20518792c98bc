/**
 * The load generator in its own process, so that the server under test has the main event loop
 * to itself (on a CPU of its own where possible). One process serves every run of a benchmark, so
 * that its code is warm: the parent sends each run's options over IPC and gets its result back.
 */
import type { ChildProcess } from 'node:child_process';
import { forkOnLoadCpu } from './cpuPinning';
import { runLoad, type LoadOptions, type LoadResult } from './loadgen';

export interface LoadChild {
  /** One run; runs are made one after the other. */
  run(opts: LoadOptions): Promise<LoadResult>;
  stop(): void;
}

export function startLoadChild(): LoadChild {
  const child: ChildProcess = forkOnLoadCpu(__filename, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let queue: Promise<unknown> = Promise.resolve();
  const runOnce = (opts: LoadOptions): Promise<LoadResult> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`load generator exited with ${code}`));
      child.once('exit', onExit);
      child.once('message', (result: LoadResult) => {
        child.off('exit', onExit);
        resolve(result);
      });
      child.send(opts);
    });
  return {
    run(opts) {
      const result = queue.then(() => runOnce(opts));
      queue = result.catch(() => undefined);
      return result;
    },
    stop() {
      child.kill();
    },
  };
}

if (require.main === module) {
  process.on('message', (opts: LoadOptions) => {
    void runLoad(opts).then((result) => process.send?.(result));
  });
  process.on('disconnect', () => process.exit(0));
}
