/** `stellantis simulate`: runs the built-in simulator until SIGINT/SIGTERM, then stops it cleanly. */
import { runSimulatorCommand } from '../../simulator';
import { numberOption } from '../args';
import type { Command } from '../command';
import { CliError, UsageError } from '../errors';

export const simulateCommand: Command = {
  options: ['port', 'vehicles', 'time-scale'],
  async run(ctx) {
    if (ctx.params.length > 0) throw new UsageError(`simulate takes no argument (got '${ctx.params.join(' ')}')`, 'simulate');
    for (const name of ['config', 'base-url', 'access-token', 'storage']) {
      if (ctx.args.options.has(name)) throw new UsageError(`simulate does not take --${name}`, 'simulate');
    }
    const port = numberOption(ctx.args, 'port', { min: 0, max: 65535, integer: true });
    const vehicles = numberOption(ctx.args, 'vehicles', { min: 1, max: 200, integer: true });
    const timeScale = numberOption(ctx.args, 'time-scale', { min: 0.0001, max: 1000 });
    const signals = ctx.io.signals ?? process;
    // Listen first so a Ctrl-C during start-up is not lost.
    let stopRequested!: () => void;
    const stopped = new Promise<void>((resolve) => {
      stopRequested = resolve;
    });
    signals.on('SIGINT', stopRequested);
    signals.on('SIGTERM', stopRequested);
    try {
      let sim;
      try {
        sim = await runSimulatorCommand({ port, vehicles, timeScale, debug: ctx.opts.debug }, (line) => ctx.out.line(line));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE' || /EADDRINUSE/.test(err instanceof Error ? err.message : '')) {
          throw new CliError(`port ${port ?? 7700} is in use (another simulator?): choose another with --port N`);
        }
        throw err;
      }
      ctx.out.line('Press Ctrl-C to stop.');
      await stopped;
      ctx.out.line('Stopping the simulator...');
      await sim.stop();
      ctx.out.line('Simulator stopped.');
      return 0;
    } finally {
      signals.off('SIGINT', stopRequested);
      signals.off('SIGTERM', stopRequested);
    }
  },
};
