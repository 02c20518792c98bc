/**
 * `stellantis send <vehicle> charge-limit <percent|off>`: the limit is kept in the storage folder,
 * where a running plugin (Homebridge, Node-RED) on the same folder applies it at once (it watches
 * the file), or else at its start. On a car whose charging preferences keep it, the preferences
 * remote is what `send` posts; otherwise nothing is sent: the plugin's monitor threshold stops the charge.
 */
import * as path from 'node:path';
import type { RemoteAction } from '../stellantis/actions';
import type { VehicleCapabilities } from '../stellantis/capabilities';
import { ChargeLimits, checkChargeLimit, limitMethodFor } from '../engine/chargeLimit';
import { UsageError } from './errors';

export interface ChargeLimitPlan {
  /** The remote to post (the car keeps the limit), or undefined (a monitor keeps it). */
  action?: RemoteAction;
  text: string;
  /** What the user must know next (the limit only saved, to be kept from the plugin's next start). */
  note?: string;
}

export function parseChargeLimitParam(params: string[]): number | null {
  if (params.length !== 1) throw new UsageError('charge-limit needs exactly one value: a percentage from 20 to 100 (e.g. 80), or off');
  const p = params[0].trim().toLowerCase();
  if (p === 'off' || p === 'none') return null;
  try {
    return checkChargeLimit(p);
  } catch (err) {
    throw new UsageError(`charge-limit: ${(err as Error).message}`);
  }
}

/** Saves the limit and says what to post, if anything. */
export async function storeChargeLimit(
  file: string,
  vehicleId: string,
  percent: number | null,
  capabilities: VehicleCapabilities | undefined,
): Promise<ChargeLimitPlan> {
  const limits = new ChargeLimits({
    path: file,
    // The CLI posts the preferences itself (the usual send path, capabilities checked).
    send: () => undefined as never,
    capabilitiesOf: () => capabilities,
    emit: () => undefined,
    onTriggersChanged: () => undefined,
  });
  await limits.load();
  const method = limitMethodFor(capabilities);
  if (percent === null) {
    limits.set(vehicleId, null);
    await limits.saved();
    // A car that kept it itself charges to the end again (preferences Full).
    if (method === 'preferences') return { action: { kind: 'charge-preferences', type: 'Full' }, text: 'charge limit removed: the car charges to 100 % again (charging preferences: Full)' };
    return {
      text: 'charge limit removed',
      note: `A running plugin (Homebridge or Node-RED) using the storage folder ${path.dirname(file)} drops its threshold monitor at once (one not running, at its start).`,
    };
  }
  if (method === 'preferences') {
    limits.set(vehicleId, percent);
    await limits.saved();
    return { action: { kind: 'charge-preferences', type: percent < 100 ? 'Partial' : 'Full' }, text: `charge limit ${percent} %: ${limits.info(vehicleId)?.text ?? ''}` };
  }
  limits.set(vehicleId, percent);
  await limits.saved();
  return {
    text: `charge limit ${percent} % saved: ${limits.info(vehicleId)?.text ?? ''}`,
    note:
      `This car has no charging preferences, so the limit is kept by the plugin (Homebridge or Node-RED) using the storage folder ${path.dirname(file)}: ` +
      'applied at once by a running plugin, else at its start. Nothing was sent to the car.',
  };
}
