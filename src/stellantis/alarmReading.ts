/** The alarm block (`alarm.status.activation`): the spec says Active/Inactive, cars also send Deactive. */
import { obj, str, timeOf, withoutUndefined, type Json } from './statusJson';
import type { AlarmState } from './vehicleStateTypes';

const ALARM_ARMED: Readonly<Record<string, boolean>> = { Active: true, Inactive: false, Deactive: false };

/** True for Active, false for Inactive/Deactive, undefined for a value we do not know. */
export function alarmArmed(activation: string): boolean | undefined {
  return Object.hasOwn(ALARM_ARMED, activation) ? ALARM_ARMED[activation] : undefined;
}

/** `alarm.trigger`: its type and start (startAt, else createdAt). */
export function readAlarmTrigger(block: Json | undefined): AlarmState['trigger'] {
  const trigger = obj(block?.trigger);
  const type = str(trigger?.type);
  const at = str(trigger?.startAt) ?? str(trigger?.createdAt);
  return type !== undefined && at !== undefined && !Number.isNaN(Date.parse(at)) ? { type, at: new Date(at).toISOString() } : undefined;
}

export function readAlarm(block: Json | undefined, now: Date): AlarmState | undefined {
  const status = obj(block?.status);
  const activation = str(status?.activation);
  if (activation === undefined) return undefined;
  return withoutUndefined({ ...timeOf(status, now), activation, armed: alarmArmed(activation), trigger: readAlarmTrigger(block) });
}
