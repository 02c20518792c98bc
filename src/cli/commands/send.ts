/**
 * `stellantis send <vehicle> <action> [params] [--wait [--timeout s]]`. Everything the user typed is
 * checked (vehicle, action, values, callback target) before the first call to Stellantis.
 */
import type { ResolvedAccountConfig } from '../../config/validate';
import type { RemoteEnd, RemoteProgress } from '../../engine/types';
import { endText, explainPending, LOCAL_EXPLANATIONS, sentence } from '../../remotes/explanations';
import { describeAction } from '../../vocabulary/actionPhrases';
import type { RemoteAction } from '../../stellantis/actions';
import { buildRemoteBody } from '../../stellantis/remoteBody';
import { capabilityRefusal, readCapabilities, type VehicleCapabilities } from '../../stellantis/capabilities';
import { checkAuxBattery } from '../../remotes/auxBatteryGuard';
import { explainUnsupported } from '../../remotes/explanations';
import { accountKeyOf, storageFile } from '../../engine/storageFiles';
import { readSavedVehicle } from '../../engine/vehicleStates';
import { errorText } from '../../util/errorText';
import { flag, numberOption, stringOption } from '../args';
import type { Command, CommandContext } from '../command';
import { accountContext, loadConfig } from '../context';
import { CliError, EXIT_ERROR, EXIT_OK, UsageError } from '../errors';
import { DEFAULT_READ_BACK_BACKOFF_MS, followByReadBack } from '../followRemote';
import { sendWithAccount } from '../followWithAccount';
import { parseSendAction } from '../sendActions';
import { capabilityProbe, chargeProgramsAfterEdit, isChargeProgramWord, parseChargeProgramEdit } from '../chargeProgramSend';
import { chargeProgramsText } from '../formatChargePrograms';
import { chargeProgramStates } from '../../stellantis/chargePrograms';
import { parseChargeLimitParam, storeChargeLimit } from '../chargeLimitSend';
import type { SettingWord } from '../../vocabulary/actionWords';
import { callbackRegistration, callbackTarget, postRemote, remoteLabel } from '../sendDirect';
import { resolveVehicle } from '../vehicleRef';
import { recordSavedRefresh } from '../../engine/wakeUpBudget';
import { withSecrets } from './shared';

const DEFAULT_TIMEOUT_S = 180;

export const sendCommand: Command = {
  options: ['wait', 'timeout', 'slot', 'days', 'start', 'end', 'disabled'],
  async run(ctx) {
    const [vehicleRef, word, ...params] = ctx.params;
    if (word === undefined) throw new UsageError('send needs a <vehicle> and an <action>, e.g. `stellantis send "My car" lock`', 'send');
    const wait = flag(ctx.args, 'wait');
    const timeoutS = numberOption(ctx.args, 'timeout', { min: 1, max: 3600 });
    if (timeoutS !== undefined && !wait) throw new UsageError('--timeout goes with --wait', 'send');
    if (word === ('charge-limit' satisfies SettingWord)) return sendChargeLimit(ctx, vehicleRef, params);
    const flags = {
      params,
      slot: numberOption(ctx.args, 'slot', { integer: true }),
      days: stringOption(ctx.args, 'days'),
      start: stringOption(ctx.args, 'start'),
      end: stringOption(ctx.args, 'end'),
      disabled: flag(ctx.args, 'disabled'),
    };
    if (flags.end !== undefined && !isChargeProgramWord(word)) throw new UsageError('--end goes with charge-program', 'send');
    const edit = isChargeProgramWord(word) ? parseChargeProgramEdit(word, flags) : undefined;
    let action = edit ? capabilityProbe(edit) : parseSendAction(word, flags);
    const config = withSecrets(await loadConfig(ctx.opts), ctx);
    const vehicle = resolveVehicle(config, vehicleRef, 'send');
    const label = remoteLabel(config);
    if (!edit) buildRemoteBody(action, { flavour: config.flavour, label });
    callbackTarget(config); // no callback target (webhook.publicUrl) → the error now, before any call
    const { client } = accountContext(config, ctx.opts, ctx.logger);
    const timeoutMs = (timeoutS ?? DEFAULT_TIMEOUT_S) * 1000;
    try {
      const capabilities = await checkBeforeSending(ctx, config, client, vehicle.id, action);
      if (edit) {
        action = await chargeProgramsAfterEdit(() => client.getVehicleStatus(vehicle.id), edit);
        refuseIfUnsupported(action, capabilities); // the capabilities just read: not a second GET
        ctx.out.line(`Charging programs to send (the whole list replaces the car's): ${programLines(action)}`);
      }
      const body = buildRemoteBody(action, { flavour: config.flavour, label });
      const what = `${describeAction(action)} on ${vehicle.name} (${vehicle.id})`;
      if (wait && (config.webhook.publicUrl || config.simulator)) {
        const result = await waitWithAccount(ctx, config, client, { vehicleId: vehicle.id, action, capabilities }, timeoutMs, what);
        if (result !== undefined) return result;
      }
      const registration = await callbackRegistration(config, ctx.opts.storageDir, client, ctx.logger);
      const { remoteActionId, callbackId } = await postRemote(client, registration, vehicle.id, body);
      // Sent without an account here: this month's wake-up count is kept in the file (a refresh always wakes the car).
      if (action.kind === 'refresh') await recordSavedRefresh(ctx.opts.storageDir, config, vehicle.id).catch(() => undefined);
      ctx.out.line(`Sent ${what}.`);
      ctx.out.line(`Remote action id: ${remoteActionId}`);
      if (!wait) return EXIT_OK;
      ctx.out.line('Following it by reading it back from Stellantis...');
      const end = await followByReadBack({
        client,
        vehicleId: vehicle.id,
        callbackId,
        remoteActionId,
        timeoutMs,
        backoffMs: ctx.io.tuning?.readBackBackoffMs ?? DEFAULT_READ_BACK_BACKOFF_MS,
        onStatus: (status) => printStatus(ctx, status),
        onReadError: (message) => ctx.logger.warn(`reading the action back failed (trying again): ${message}`),
      });
      return printEnd(ctx, action, { ...end, at: Date.now() }, timeoutMs);
    } finally {
      client.close();
    }
  },
};

/**
 * `charge-limit <percent|off>`: saved for the running plugin; on a car that keeps it itself, its
 * charging preferences are posted (one POST, after the usual capability check).
 */
async function sendChargeLimit(ctx: CommandContext, vehicleRef: string | undefined, params: string[]): Promise<number> {
  const percent = parseChargeLimitParam(params);
  const config = withSecrets(await loadConfig(ctx.opts), ctx);
  const vehicle = resolveVehicle(config, vehicleRef, 'send');
  const { client } = accountContext(config, ctx.opts, ctx.logger);
  try {
    // A car that cannot stop a charge has no limit to keep; what it can do is read at most once.
    const capabilities = await checkBeforeSending(ctx, config, client, vehicle.id, { kind: 'charge', on: false });
    const file = storageFile(ctx.opts.storageDir, 'charge-limits', accountKeyOf(config));
    const plan = await storeChargeLimit(file, vehicle.id, percent, capabilities ?? undefined);
    ctx.out.line(`${vehicle.name}: ${plan.text}.`);
    if (plan.note) ctx.out.line(plan.note);
    if (!plan.action) return EXIT_OK;
    await checkBeforeSending(ctx, config, client, vehicle.id, plan.action);
    const registration = await callbackRegistration(config, ctx.opts.storageDir, client, ctx.logger);
    const body = buildRemoteBody(plan.action, { flavour: config.flavour, label: remoteLabel(config) });
    const { remoteActionId } = await postRemote(client, registration, vehicle.id, body);
    ctx.out.line(`Sent ${describeAction(plan.action)} on ${vehicle.name} (${vehicle.id}).`);
    ctx.out.line(`Remote action id: ${remoteActionId}`);
    return EXIT_OK;
  } finally {
    client.close();
  }
}

/**
 * What the car can do and its 12 V level, before any POST. The account's saved knowledge comes
 * first (no call); only a car never read before costs one vehicle read
 * (GET .../vehicles/{id}?extension=onboardCapabilities). An action the car cannot do, or a refresh
 * on a low 12 V battery, ends here. Returns what is known of the capabilities (undefined: the read failed).
 */
async function checkBeforeSending(
  ctx: CommandContext,
  config: ResolvedAccountConfig,
  client: ReturnType<typeof accountContext>['client'],
  vehicleId: string,
  action: RemoteAction,
): Promise<VehicleCapabilities | null | undefined> {
  const saved = await readSavedVehicle(storageFile(ctx.opts.storageDir, 'vehicle-states', accountKeyOf(config)), vehicleId);
  if (action.kind === 'refresh') {
    const aux = checkAuxBattery(saved.state, config.lowAuxBatteryPercent);
    if (!aux.allowed) throw new CliError(`${describeAction(action)}: ${aux.explanation}`);
  }
  let capabilities: VehicleCapabilities | null | undefined = saved.capabilities;
  if (capabilities === undefined) {
    try {
      capabilities = readCapabilities(await client.getVehicle(vehicleId, ['onboardCapabilities'])) ?? null;
    } catch (err) {
      ctx.logger.warn(`could not read what the car can do (${errorText(err)}); sending anyway`);
      return undefined;
    }
  }
  refuseIfUnsupported(action, capabilities);
  return capabilities;
}

/** A clear error, before any POST, when the car's capabilities say it cannot do the action. */
function refuseIfUnsupported(action: RemoteAction, capabilities: VehicleCapabilities | null | undefined): void {
  const refusal = capabilities ? capabilityRefusal(action, capabilities) : undefined;
  if (refusal) throw new CliError(`${describeAction(action)}: ${sentence(explainUnsupported(refusal))}`);
}

/** Follows with a StellantisAccount; undefined when the webhook is unavailable here (the caller reads back instead). */
async function waitWithAccount(
  ctx: CommandContext,
  config: ResolvedAccountConfig,
  client: ReturnType<typeof accountContext>['client'],
  { vehicleId, action, capabilities }: { vehicleId: string; action: RemoteAction; capabilities: VehicleCapabilities | null | undefined },
  timeoutMs: number,
  what: string,
): Promise<number | undefined> {
  const tuning = ctx.io.tuning ?? {};
  const onProgress = (p: RemoteProgress): void => {
    if (p.phase === 'sent' && p.remoteActionId) {
      ctx.out.line(`Sent ${what}.`);
      ctx.out.line(`Remote action id: ${p.remoteActionId}`);
      ctx.out.line('Following it through the webhook...');
    } else if (p.phase === 'pending' && p.pendingStatus) {
      printStatus(ctx, p.pendingStatus);
    } else if (p.phase === 'done' && p.end?.failureCause) {
      printStatus(ctx, `Failed (${p.end.failureCause})`);
    } else if (p.phase !== 'done') {
      ctx.logger.debug(p.text);
    }
  };
  const result = await sendWithAccount({
    config,
    storageDir: ctx.opts.storageDir,
    client,
    logger: ctx.logger,
    vehicleId,
    action,
    timeoutMs,
    healthTimeoutMs: tuning.healthTimeoutMs ?? 5000,
    noNotificationTimeoutMs: tuning.noNotificationTimeoutMs ?? Math.min(60_000, Math.round(timeoutMs / 3)),
    readBackBackoffMs: tuning.readBackBackoffMs ?? DEFAULT_READ_BACK_BACKOFF_MS,
    onProgress,
    ...(capabilities !== undefined ? { capabilities } : {}),
  });
  if (result.kind === 'unavailable') {
    ctx.out.error(`note: ${result.reason}; following the action by reading it back instead`);
    return undefined;
  }
  return printEnd(ctx, action, result.end, timeoutMs);
}

function programLines(action: RemoteAction): string {
  return action.kind === 'charge-programs' ? chargeProgramsText(chargeProgramStates(action.programs)) : '';
}

function printStatus(ctx: CommandContext, status: string): void {
  const done = ['Success', 'AlreadyDone'].includes(status) || status.startsWith('Failed');
  ctx.out.line(done ? `  ${status}` : `  ${status}: ${explainPending(status).text}`);
}

function printEnd(ctx: CommandContext, action: RemoteAction, end: RemoteEnd, timeoutMs: number): number {
  const final =
    end.result === 'Timeout' && !end.explanation
      ? { ...end, explanation: `no end within ${Math.round(timeoutMs / 1000)} s (--timeout); ${sentence(LOCAL_EXPLANATIONS.noAnswer)}` }
      : end;
  ctx.out.line(`Result: ${endText(action, final)}`);
  return final.result === 'Success' || final.result === 'AlreadyDone' ? EXIT_OK : EXIT_ERROR;
}
