import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { Capture, cli } from './support';

const ROOT = path.resolve(__dirname, '../..');
const MAIN_TS = path.join(ROOT, 'src/cli/main.ts');
const BUILT = path.join(ROOT, 'dist/src/cli/main.js');

interface Spawned {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], opts: { onStdout?: (text: string, child: ReturnType<typeof spawn>) => void } = {}): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, HOME: '/nonexistent-home' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      opts.onStdout?.(stdout, child);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end();
  });
}

describe('stellantis as a real process', function () {
  this.timeout(30_000);

  it('main.ts starts with the node shebang (kept by tsc in dist/src/cli/main.js, the package bin)', async () => {
    const first = (await fsp.readFile(MAIN_TS, 'utf8')).split('\n')[0];
    assert.equal(first, '#!/usr/bin/env node');
    const pkg = JSON.parse(await fsp.readFile(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    assert.equal(pkg.bin.stellantis, 'dist/src/cli/main.js');
    if (existsSync(BUILT)) assert.equal((await fsp.readFile(BUILT, 'utf8')).split('\n')[0], '#!/usr/bin/env node');
  });

  it('the tsx binary runs it: exit 2 for a usage error, 1 for a failure, no stack trace', async () => {
    const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
    const usage = await run(tsx, [MAIN_TS, 'frobnicate']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /unknown command 'frobnicate'/);
    const failure = await run(tsx, [MAIN_TS, 'vehicles', '--config', '/nonexistent/config.json']);
    assert.equal(failure.code, 1);
    assert.match(failure.stderr, /--config: file \/nonexistent\/config\.json not found/);
    assert.ok(!failure.stderr.includes('    at '));
  });

  it('the built binary (when built) behaves the same', async function () {
    if (!existsSync(BUILT)) this.skip();
    const help = await run(process.execPath, [BUILT, 'send', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: stellantis send/);
  });

  it('simulate runs until SIGINT, then stops cleanly with exit 0', async () => {
    let interrupted = false;
    const result = await run(process.execPath, ['-r', 'tsx/cjs', MAIN_TS, 'simulate', '--port', '0', '--time-scale', '0.01'], {
      onStdout: (text, child) => {
        if (!interrupted && /Press Ctrl-C to stop/.test(text)) {
          interrupted = true;
          child.kill('SIGINT');
        }
      },
    });
    assert.ok(interrupted, result.stdout + result.stderr);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Simulator ready at http:\/\/127\.0\.0\.1:\d+/);
    assert.match(result.stdout, /Simulator stopped\.\n$/);
  });
});

describe('stellantis simulate (in-process)', () => {
  it('serves until SIGTERM, then frees its port', async () => {
    const signals = new EventEmitter();
    const stdout = new Capture();
    const running = cli(['simulate', '--port', '0', '--vehicles', '3', '--time-scale', '0.01'], { stdout, signals });
    const [, url] = await stdout.waitFor(/Simulator ready at (\S+)/);
    const state = await fetch(`${url}/_simulator/state`);
    assert.equal(state.status, 200);
    const body = (await state.json()) as { vehicles: unknown[] };
    assert.equal(body.vehicles.length, 3);
    assert.equal(signals.listenerCount('SIGTERM'), 1);
    signals.emit('SIGTERM');
    const result = await running;
    assert.equal(result.code, 0);
    assert.equal(signals.listenerCount('SIGTERM') + signals.listenerCount('SIGINT'), 0, 'signal handlers removed');
    await assert.rejects(fetch(`${url}/_simulator/state`));
  });

  it('--debug logs every request; bad options are usage errors', async () => {
    const signals = new EventEmitter();
    const stdout = new Capture();
    const running = cli(['simulate', '--port', '0', '--time-scale', '0.01', '--debug'], { stdout, signals });
    const [, url] = await stdout.waitFor(/Simulator ready at (\S+)/);
    await fetch(`${url}/connectedcar/v4/user`);
    await stdout.waitFor(/\[sim\] .*\/user/);
    signals.emit('SIGINT');
    assert.equal((await running).code, 0);
    for (const argv of [['--vehicles', '0'], ['--time-scale', '-1'], ['--config', 'x.json'], ['extra']]) {
      const bad = await cli(['simulate', ...argv]);
      assert.equal(bad.code, 2, argv.join(' '));
    }
  });

  it('a port in use: says so and exits 1', async () => {
    const signals = new EventEmitter();
    const stdout = new Capture();
    const first = cli(['simulate', '--port', '0', '--time-scale', '0.01'], { stdout, signals });
    const [, port] = await stdout.waitFor(/Simulator ready at http:\/\/127\.0\.0\.1:(\d+)/);
    const second = await cli(['simulate', '--port', port]);
    signals.emit('SIGINT');
    await first;
    assert.equal(second.code, 1);
    assert.match(second.stderr, new RegExp(`port ${port} is in use.*--port`));
  });
});
