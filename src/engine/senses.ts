/**
 * The car's senses: moments worth an automation, read from the changes of its state (whatever
 * brought them: a monitor event with the status attached, or a status read). A part seen for the
 * first time, a restored state and a remote's expected effect are no moment: only a change is.
 */
import type { VehicleState } from '../stellantis/vehicleState';
import type { VehicleStateChange } from './types';

export type SenseKind = 'arrived' | 'left' | 'alarm' | 'plugged' | 'unplugged' | 'driving' | 'parked';

export interface VehicleSense {
  vehicleId: string;
  kind: SenseKind;
  /** When it happened (the part's own time, else when we learned it), epoch ms. */
  at: number;
  /** alarm: what set it off (`alarm.trigger.type`, e.g. Intrusion). */
  triggerType?: string;
  /** arrived/left: distance from home's centre when known. */
  distanceM?: number;
}

function timeOf(part: { at?: string } | undefined, fallback: number): number {
  const t = part?.at ? Date.parse(part.at) : NaN;
  return Number.isNaN(t) ? fallback : t;
}

/** The moments between two states of one car. */
export function sensesBetween(vehicleId: string, before: VehicleState, after: VehicleState, now: number): VehicleSense[] {
  const out: VehicleSense[] = [];
  const wasHome = before.home?.inside;
  const isHome = after.home?.inside;
  if (wasHome !== undefined && isHome !== undefined && wasHome !== isHome) {
    const distanceM = after.home?.distanceM;
    out.push({ vehicleId, kind: isHome ? 'arrived' : 'left', at: timeOf(after.home, now), ...(distanceM !== undefined ? { distanceM } : {}) });
  }
  const trigger = after.alarm?.trigger;
  if (trigger && trigger.at !== before.alarm?.trigger?.at && (before.alarm !== undefined || Date.parse(trigger.at) > now - 10 * 60_000)) {
    out.push({ vehicleId, kind: 'alarm', at: timeOf(trigger, now), triggerType: trigger.type });
  }
  const wasPlugged = before.charging?.plugged;
  const isPlugged = after.charging?.plugged;
  if (wasPlugged !== undefined && isPlugged !== undefined && wasPlugged !== isPlugged) {
    out.push({ vehicleId, kind: isPlugged ? 'plugged' : 'unplugged', at: timeOf(after.charging, now) });
  }
  const wasMoving = before.motion?.moving;
  const isMoving = after.motion?.moving;
  if (wasMoving !== undefined && isMoving !== undefined && wasMoving !== isMoving) {
    out.push({ vehicleId, kind: isMoving ? 'driving' : 'parked', at: timeOf(after.motion, now) });
  }
  return out;
}

/** Keeps the last state per car and turns each change into its moments. */
export class SenseWatch {
  private readonly last = new Map<string, VehicleState>();

  observe(change: VehicleStateChange): VehicleSense[] {
    const before = this.last.get(change.vehicleId);
    this.last.set(change.vehicleId, change.state);
    if (!before || change.source === 'restore' || change.source === 'remote') return [];
    return sensesBetween(change.vehicleId, before, change.state, change.at);
  }
}
