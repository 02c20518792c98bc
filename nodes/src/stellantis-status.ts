/**
 * stellantis-status: on input, the normalized vehicle state (and the raw JSON on request). It never
 * wakes the car unless the message asks for it (msg.refresh = true), which sends a refresh first.
 */
import type { VehicleState } from '../../src/stellantis/vehicleState';
import { accountOf } from './lib/accountLookup';
import { followAccountStatus } from './lib/accountStatus';
import type { NodeAPI, NodeDef, NodeStatus, RedNode } from './lib/red';
import { BadMessageError, vehicleFor } from './lib/remoteInput';
import { clock } from './lib/statusText';

interface StatusSettings {
  account?: string;
  vehicle?: string;
  /** 'api' (one status read, default) or 'cache' (the last known state, no call). */
  source?: string;
  raw?: boolean;
}

/** "locked · 80% · 07:05" */
export function stateSummary(state: VehicleState, at: number): string {
  const parts: string[] = [];
  if (state.doors && state.doors.lock !== 'unknown') parts.push(state.doors.lock);
  if (state.battery?.level !== undefined) parts.push(`${Math.round(state.battery.level)}%`);
  else if (state.fuel?.level !== undefined) parts.push(`fuel ${Math.round(state.fuel.level)}%`);
  if (state.charging?.status === 'InProgress') parts.push('charging');
  if (state.preconditioning?.on) parts.push('preconditioning');
  parts.push(clock(at));
  return parts.join(' · ');
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true';
}

export default function register(RED: NodeAPI): void {
  function StellantisStatusNode(this: RedNode, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    setUpStatusNode(this, def as StatusSettings);
  }

  function setUpStatusNode(node: RedNode, settings: StatusSettings): void {
    const account = accountOf(RED, settings.account);
    let busy = 0;
    let shown = false;
    const stopFollowing = account ? followAccountStatus(node, account, () => busy === 0 && !shown, () => node.status({})) : undefined;
    if (!account) node.status({ fill: 'red', shape: 'ring', text: 'no account' });

    const show = (status: NodeStatus): void => {
      shown = true;
      node.status(status);
    };

    node.on('input', (msg, send, done) => {
      if (!account) {
        done(new Error('no account: open the node and choose a stellantis-account'));
        return;
      }
      const raw = settings.raw === true || truthy(msg.raw);
      const refresh = truthy(msg.refresh);
      const fromCache = settings.source === 'cache' && !raw && !refresh;
      busy += 1;
      const work = async (): Promise<void> => {
        const engine = await account.whenReady();
        const vehicleId = vehicleFor(settings.vehicle, msg, true, { ids: account.vehicleIds, names: account.vehicleNames });
        if (refresh) {
          show({ fill: 'yellow', shape: 'ring', text: 'waking vehicle' });
          const end = await engine.send(vehicleId, { kind: 'refresh' }).done;
          if (end.result !== 'Success' && end.result !== 'AlreadyDone') {
            throw new Error(`refresh (${vehicleId}): ${end.result.toLowerCase()}${end.explanation ? `: ${end.explanation}` : ''}`);
          }
        }
        let state: VehicleState;
        if (fromCache) {
          state = engine.stateOf(vehicleId);
        } else {
          show({ fill: 'blue', shape: 'ring', text: 'reading' });
          const read = await engine.readStatus(vehicleId, { raw });
          state = read.state;
          if (raw) msg.raw = read.raw;
        }
        msg.payload = state;
        msg.vehicle = vehicleId;
        msg.topic = 'status';
        show({ fill: 'green', shape: 'dot', text: stateSummary(state, Date.now()) });
        send(msg);
      };
      work().then(
        () => {
          busy -= 1;
          done();
        },
        (err: unknown) => {
          busy -= 1;
          show({ fill: 'red', shape: 'ring', text: err instanceof BadMessageError ? 'bad message' : 'read failed' });
          done(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });

    node.on('close', (_removed, done) => {
      stopFollowing?.();
      done();
    });
  }

  RED.nodes.registerType('stellantis-status', StellantisStatusNode);
}
