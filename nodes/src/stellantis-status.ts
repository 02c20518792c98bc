/**
 * stellantis-status: on input, the normalized vehicle state (and the raw JSON on request). It never
 * wakes the car unless the message asks for it (msg.refresh = true), which sends a refresh first.
 * msg.wakeUps: the car's wake-up budget this month, as far as the plugin can tell.
 */
import type { VehicleState } from '../../src/stellantis/vehicleState';
import { accountRuntimeOf } from './lib/accountLookup';
import { t, useRuntimeI18n } from './lib/i18n';
import { followAccountStatus } from './lib/accountStatus';
import type { AccountRuntime } from './lib/accountRuntime';
import { handleInput, InputFailure } from './lib/inputPipeline';
import { BAD_MESSAGE, CLEAR, NO_ACCOUNT, READ_FAILED, READING, succeeded, WAKING_VEHICLE } from './lib/nodeStatus';
import type { NodeAPI, NodeDef, NodeMessage, NodeStatus, RedNode } from './lib/red';
import { BadMessageError, vehicleFor } from './lib/remoteInput';
import { clock } from './lib/statusText';

interface StatusSettings {
  account?: string;
  vehicle?: string;
  /** 'api' (one status read, default) or 'cache' (the last known state, no call). */
  source?: string;
  raw?: boolean;
}

/** "locked · 80% · 07:05" (in the runtime language) */
export function stateSummary(state: VehicleState, at: number): string {
  const parts: string[] = [];
  if (state.doors && state.doors.lock !== 'unknown') parts.push(t(`summary.${state.doors.lock}`));
  if (state.battery?.level !== undefined) parts.push(`${Math.round(state.battery.level)}%`);
  else if (state.fuel?.level !== undefined) parts.push(t('summary.fuel', { level: Math.round(state.fuel.level) }));
  if (state.charging?.status === 'InProgress') parts.push(t('summary.charging'));
  if (state.preconditioning?.on) parts.push(t('summary.preconditioning'));
  parts.push(clock(at));
  return parts.join(' · ');
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true';
}

export default function register(RED: NodeAPI): void {
  useRuntimeI18n(RED._);
  function StellantisStatusNode(this: RedNode, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    setUpStatusNode(this, def as StatusSettings);
  }

  function setUpStatusNode(node: RedNode, settings: StatusSettings): void {
    const runtime = accountRuntimeOf(RED, settings.account);
    let busy = 0;
    let shown = false;
    const stopFollowing = runtime ? followAccountStatus(node, runtime, () => busy === 0 && !shown, () => node.status(CLEAR)) : undefined;
    if (!runtime) node.status(NO_ACCOUNT);

    const show = (status: NodeStatus): void => {
      shown = true;
      node.status(status);
    };

    handleInput(node, {
      show,
      errorStatus: (err) => (err instanceof BadMessageError ? BAD_MESSAGE : READ_FAILED),
      run: async ({ msg, send, done }) => {
        if (!runtime) throw new InputFailure(new Error('no account: open the node and choose a stellantis-account'));
        busy += 1;
        try {
          await readInto(runtime, msg);
        } finally {
          busy -= 1;
        }
        send(msg);
        done();
      },
    });

    /** msg, given the vehicle's state (after a refresh when it asks for one). */
    async function readInto(runtime: AccountRuntime, msg: NodeMessage): Promise<void> {
      const raw = settings.raw === true || truthy(msg.raw);
      const refresh = truthy(msg.refresh);
      const fromCache = settings.source === 'cache' && !raw && !refresh;
      const account = await runtime.whenReady();
      const vehicleId = vehicleFor(settings.vehicle, msg, true, { ids: runtime.vehicleIds, names: runtime.vehicleNames });
      if (refresh) {
        show(WAKING_VEHICLE);
        const end = await account.send(vehicleId, { kind: 'refresh' }).done;
        if (end.result !== 'Success' && end.result !== 'AlreadyDone') {
          throw new Error(`refresh (${vehicleId}): ${end.result.toLowerCase()}${end.explanation ? `: ${end.explanation}` : ''}`);
        }
      }
      let state: VehicleState;
      if (fromCache) {
        state = account.stateOf(vehicleId);
      } else {
        show(READING);
        const read = await account.readStatus(vehicleId, { raw });
        state = read.state;
        if (raw) msg.raw = read.raw;
      }
      msg.payload = state;
      // What the plugin counted (its wake-ups file), never an API call.
      const wakeUps = account.wakeUpBudgetOf?.(vehicleId);
      if (wakeUps) msg.wakeUps = { ...wakeUps };
      msg.vehicle = vehicleId;
      msg.topic = 'status';
      show(succeeded(stateSummary(state, Date.now())));
    }

    node.on('close', (_removed, done) => {
      stopFollowing?.();
      done();
    });
  }

  RED.nodes.registerType('stellantis-status', StellantisStatusNode);
}
