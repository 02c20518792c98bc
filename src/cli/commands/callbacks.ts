/** `stellantis callbacks [list | delete <id> | delete --all-ours]`. */
import { promises as fsp } from 'node:fs';
import { accountKeyOf, storageFile } from '../../engine/storageFiles';
import type { ResolvedAccountConfig } from '../../config/validate';
import type { UserCallback } from '../../stellantis/wire';
import { flag } from '../args';
import type { Command, CommandContext } from '../command';
import { accountContext, loadConfig } from '../context';
import type { GlobalOptions } from '../options';
import { UsageError } from '../errors';
import { withSecrets } from './shared';

export const callbacksCommand: Command = {
  options: ['all-ours'],
  async run(ctx) {
    const [sub = 'list', ...rest] = ctx.params;
    const allOurs = flag(ctx.args, 'all-ours');
    if (sub === 'list') {
      if (rest.length > 0 || allOurs) throw new UsageError('callbacks list takes no argument', 'callbacks');
    } else if (sub === 'delete') {
      if (allOurs && rest.length > 0) throw new UsageError('callbacks delete takes either <id> or --all-ours, not both', 'callbacks');
      if (!allOurs && rest.length !== 1) throw new UsageError('callbacks delete needs one <id> (see `stellantis callbacks list`) or --all-ours', 'callbacks');
    } else {
      throw new UsageError(`unknown callbacks subcommand '${sub}'; one of: list, delete`, 'callbacks');
    }
    const config = withSecrets(await loadConfig(ctx.opts), ctx);
    const { client } = accountContext(config, ctx.opts, ctx.logger);
    try {
      if (sub === 'list') {
        printCallbacks(ctx, config, await client.listCallbacks());
        return 0;
      }
      const ids = allOurs ? (await client.listCallbacks()).filter((c) => labelOf(c) === config.webhook.label).map((c) => c.id) : rest;
      if (ids.length === 0) {
        ctx.out.line(`No callback carries the label '${config.webhook.label}': nothing to delete.`);
        return 0;
      }
      for (const id of ids) {
        await client.deleteCallback(id);
        await forgetSavedCallback(config, ctx.opts, id);
        ctx.out.line(`Deleted callback ${id}.`);
      }
      return 0;
    } finally {
      client.close();
    }
  },
};

function labelOf(c: UserCallback): string | undefined {
  return c.label ?? c.subscribe?.label;
}

function printCallbacks(ctx: CommandContext, config: ResolvedAccountConfig, callbacks: UserCallback[]): void {
  if (callbacks.length === 0) {
    ctx.out.line('No callback registered for this account.');
    return;
  }
  for (const c of callbacks) {
    const webhook = c.subscribe?.callback?.webhook;
    const ours = labelOf(c) === config.webhook.label ? '  (ours)' : '';
    ctx.out.line(`${c.id}  ${c.status}  label '${labelOf(c) ?? ''}'${ours}`);
    ctx.out.line(`    target ${webhook?.target ?? '-'}`);
    // Attribute values may be secrets (our webhook secret header): only their keys are shown.
    const attributes = (webhook?.attributes ?? []).map((a) => `${a.type} ${a.key}`);
    if (attributes.length > 0) ctx.out.line(`    attributes ${attributes.join(', ')}`);
    if (c.subscribe?.type) ctx.out.line(`    types ${c.subscribe.type.join(', ')}`);
  }
}

/** The engine remembers our callback id; once that callback is deleted, the memory goes too. */
async function forgetSavedCallback(config: ResolvedAccountConfig, opts: GlobalOptions, deletedId: string): Promise<void> {
  const file = storageFile(opts.storageDir, 'callback', accountKeyOf(config));
  try {
    const saved = JSON.parse(await fsp.readFile(file, 'utf8')) as { callbackId?: unknown };
    if (saved.callbackId === deletedId) await fsp.rm(file, { force: true });
  } catch {
    // No saved id (or unreadable): nothing to forget.
  }
}
