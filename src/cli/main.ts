#!/usr/bin/env node
/** The `stellantis` command: everything is in run.ts, so tests can run it in-process. */
import { runCli } from './run';
import { errorText } from '../util/errorText';

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`stellantis: unexpected failure: ${errorText(err)}\n`);
    process.exitCode = 1;
  },
);
