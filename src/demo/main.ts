#!/usr/bin/env node
/** Entry point of `npm start` (see demo.ts). Ctrl-C or SIGTERM stops everything it started. */
import * as path from 'node:path';
import { DemoCancelled, DemoSetupError, startDemo, type RunningDemo } from './demo';
import { DEMO_HELP, DemoUsageError, parseDemoArgs } from './options';
import { errorText } from '../util/errorText';

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const printError = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** The project root: dist/src/demo/main.js or src/demo/main.ts, three or two levels up. */
function projectRoot(): string {
  const up = path.basename(path.resolve(__dirname, '..', '..')) === 'dist' ? 3 : 2;
  return path.resolve(__dirname, ...Array<string>(up).fill('..'));
}

async function main(): Promise<number> {
  let opts;
  try {
    opts = parseDemoArgs(process.argv.slice(2), process.env, projectRoot());
  } catch (err) {
    if (err instanceof DemoUsageError) {
      printError(`npm start: ${err.message}`);
      return 2;
    }
    throw err;
  }
  if (opts.help) {
    print(DEMO_HELP);
    return 0;
  }

  let stopRequested: ((signal: string) => void) | undefined;
  const stopSignal = new Promise<string>((resolve) => (stopRequested = resolve));
  const cancel = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals === 1) {
      print(`\n${signal}: stopping…`);
      cancel.abort();
      stopRequested?.(signal);
    } else if (signals === 3) {
      printError('stopping is taking long; a third signal: exiting now');
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  let demo: RunningDemo;
  try {
    demo = await startDemo(opts, print, cancel.signal);
  } catch (err) {
    if (err instanceof DemoCancelled || cancel.signal.aborted) {
      print('Demo stopped before it was ready; nothing is left running.');
      return 130;
    }
    if (err instanceof DemoSetupError) {
      printError(`npm start: ${err.message}`);
      return 2;
    }
    printError(`npm start: could not start the demo: ${errorText(err)}`);
    return 1;
  }
  let code = 0;
  const why = await Promise.race([stopSignal.then(() => undefined), demo.childExited]);
  if (why) {
    printError(`npm start: ${why}; stopping the rest`);
    code = 1;
  }
  await demo.stop();
  print('Demo stopped: Homebridge, Node-RED and the simulator are down.');
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    printError(`npm start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
