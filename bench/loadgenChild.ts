/**
 * The load generator in its own process, so that the server under test has the main event loop
 * to itself: the parent sends the options over IPC and gets the result back.
 */
import { fork } from 'node:child_process';
import { runLoad, type LoadOptions, type LoadResult } from './loadgen';

type ChildLoadOptions = Omit<LoadOptions, 'body' | 'onLatency'> & { bodies: string[] };

/** Runs the load from a child process; bodies are used in turn. */
export function runLoadInChild(opts: ChildLoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
  process.once('message', (opts: ChildLoadOptions) => {
    let i = 0;
    const body = (): string => opts.bodies[i++ % opts.bodies.length];
    void runLoad({ ...opts, body }).then((result) => process.send?.(result));
  });
}
