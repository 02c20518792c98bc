/** In-memory records of callbacks, remote actions and monitors (never written to disk). */
import { ApiError } from './errors';
import type { Flavour } from './remoteCheck';
import type { RemoteActionStatus, FailureCause, RemoteType } from '../stellantis/wire';
import { isObject } from '../util/isObject';

export interface SimAttribute {
  type: 'Header' | 'Body' | 'Query';
  key: string;
  value: string;
}

export interface RetryPolicy {
  policy: 'Always' | 'None' | 'Bounded';
  retryNumber: number;
  /** Simulated seconds between two attempts. */
  retryDelay: number;
}

export interface SimCallback {
  id: string;
  flavour: Flavour;
  label?: string;
  /** The subscribe object as the client sent it (returned by GET). */
  subscribe: Record<string, unknown>;
  status: 'Running' | 'Paused';
  name: string;
  target: string;
  attributes: SimAttribute[];
  /** B2C `type`: which events go to this callback. */
  types: Array<'Remote' | 'Monitor'>;
  /** B2B `remoteTypes`. */
  remoteTypes?: string[];
  retry: RetryPolicy;
  batchSize: number;
}

export interface SimRemote {
  id: string;
  flavour: Flavour;
  vehicleId: string;
  callbackId: string;
  type: RemoteType;
  action: string;
  body: Record<string, unknown>;
  status: RemoteActionStatus;
  failureCause?: FailureCause;
  done: boolean;
  createdAt: number;
}

export interface MonitorTrigger {
  data: string;
  op: string;
  value: string[];
}

export interface SimMonitor {
  id: string;
  vehicleId: string;
  callbackId: string;
  label: string;
  parameter: Record<string, unknown>;
  triggers: MonitorTrigger[];
  status: 'Running' | 'Paused';
  createdAt: number;
  updatedAt: number;
}

export const MAX_BATCH = 100;
export const MAX_MONITORS_PER_VEHICLE = 5;

function bad(message: string, detail = 10): never {
  throw new ApiError(400, message, detail);
}

function checkAttributeList(v: unknown, path: string): SimAttribute[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) bad(`${path} must be an array`);
  return v.map((a, i) => {
    if (!isObject(a)) bad(`${path}[${i}] must be an object`);
    if (a.type !== 'Header' && a.type !== 'Body' && a.type !== 'Query') bad(`${path}[${i}].type must be Header, Body or Query`);
    if (typeof a.key !== 'string' || a.key === '') bad(`${path}[${i}].key must be a non-empty string`);
    if (typeof a.value !== 'string') bad(`${path}[${i}].value must be a string`);
    if (a.type === 'Header' && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(a.key)) bad(`${path}[${i}].key is not a valid HTTP header name`);
    return { type: a.type, key: a.key, value: a.value };
  });
}

function checkTarget(v: unknown): string {
  if (typeof v !== 'string') bad('callback.webhook.target must be a URL string');
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    bad(`callback.webhook.target "${v}" is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') bad('callback.webhook.target must be an http(s) URL');
  return v;
}

/** Checks a B2C `CallbackSubscribe` or B2B `RemoteCallbackSubscribe` body. */
export function parseSubscribe(raw: unknown, flavour: Flavour): Omit<SimCallback, 'id' | 'status'> {
  if (!isObject(raw)) bad('body must be a JSON object');
  if (raw.label !== undefined && typeof raw.label !== 'string') bad('label must be a string');
  if (!isObject(raw.callback)) bad('callback is required: {"webhook": {"name", "target", "attributes"}}');
  if (!isObject(raw.callback.webhook)) bad('callback.webhook is required (the only channel this simulator delivers to)');
  const wh = raw.callback.webhook;
  if (typeof wh.name !== 'string' || wh.name === '') bad('callback.webhook.name is required');
  const target = checkTarget(wh.target);
  const attributes = checkAttributeList(wh.attributes, 'callback.webhook.attributes');
  let types: Array<'Remote' | 'Monitor'> = ['Remote', 'Monitor'];
  let remoteTypes: string[] | undefined;
  let retry: RetryPolicy = { policy: 'Always', retryNumber: Infinity, retryDelay: 10 };
  let batchSize = MAX_BATCH;
  if (flavour === 'b2c') {
    if (raw.type !== undefined) {
      if (!Array.isArray(raw.type) || raw.type.some((t) => t !== 'Remote' && t !== 'Monitor')) bad('type must be an array of "Remote" and/or "Monitor"');
      types = raw.type as Array<'Remote' | 'Monitor'>;
    }
  } else {
    types = ['Remote'];
    const allowed = ['ThermalPreconditioning', 'ElectricBatteryChargingRequest', 'Horn', 'Doors', 'Lights', 'Immobilization', 'Stolen', 'WakeUp', 'Navigation'];
    if (!Array.isArray(raw.remoteTypes) || raw.remoteTypes.length === 0) bad('remoteTypes is required: a non-empty array of remote types');
    raw.remoteTypes.forEach((t, i) => {
      if (typeof t !== 'string' || !allowed.includes(t)) bad(`remoteTypes[${i}] must be one of ${allowed.join(', ')}`);
    });
    remoteTypes = raw.remoteTypes as string[];
    if (raw.retryPolicy !== undefined) {
      const rp = raw.retryPolicy;
      if (!isObject(rp) || (rp.policy !== 'None' && rp.policy !== 'Bounded')) bad('retryPolicy.policy must be "None" or "Bounded"');
      const retryNumber = rp.retryNumber === undefined ? 3 : rp.retryNumber;
      const retryDelay = rp.retryDelay === undefined ? 10 : rp.retryDelay;
      if (!Number.isInteger(retryNumber) || (retryNumber as number) < 1) bad('retryPolicy.retryNumber must be an integer >= 1');
      if (!Number.isInteger(retryDelay) || (retryDelay as number) < 1) bad('retryPolicy.retryDelay must be an integer >= 1 (seconds)');
      retry = { policy: rp.policy, retryNumber: retryNumber as number, retryDelay: retryDelay as number };
    }
    if (raw.batchNotify !== undefined) {
      const bn = raw.batchNotify;
      if (!isObject(bn) || !Number.isInteger(bn.size) || (bn.size as number) < 1) bad('batchNotify.size must be an integer >= 1');
      batchSize = Math.min(MAX_BATCH, bn.size as number);
    }
  }
  return {
    flavour,
    label: raw.label as string | undefined,
    subscribe: raw,
    name: wh.name,
    target,
    attributes,
    types,
    remoteTypes,
    retry,
    batchSize,
  };
}

const MONITOR_OPS = ['equalsTo', 'greaterThan', 'lowerThan', 'includedIn', 'onChange'];

/** Checks a `MonitorParameter` body; only data triggers are evaluated by the simulator. */
export function parseMonitor(raw: unknown): { label: string; triggers: MonitorTrigger[]; parameter: Record<string, unknown> } {
  if (!isObject(raw)) bad('body must be a JSON object', 20);
  if (typeof raw.label !== 'string' || raw.label === '') bad('label is required', 20);
  if (!isObject(raw.triggerParam)) bad('triggerParam is required: {"triggers": [...], "boolExp": "..."}', 20);
  const tp = raw.triggerParam;
  if (!Array.isArray(tp.triggers) || tp.triggers.length < 1 || tp.triggers.length > 5) bad('triggerParam.triggers must hold 1 to 5 triggers', 20);
  if (typeof tp.boolExp !== 'string' || tp.boolExp === '') bad('triggerParam.boolExp is required (e.g. the trigger name)', 20);
  const triggers: MonitorTrigger[] = [];
  tp.triggers.forEach((t, i) => {
    const path = `triggerParam.triggers[${i}]`;
    if (!isObject(t)) bad(`${path} must be an object`, 20);
    if (typeof t.name !== 'string' || t.name === '') bad(`${path}.name is required`, 20);
    if (t.data === undefined) return;
    if (!isObject(t.data)) bad(`${path}.data must be an object`, 20);
    if (typeof t.data.data !== 'string' || t.data.data === '') bad(`${path}.data.data is required`, 20);
    if (typeof t.data.op !== 'string' || !MONITOR_OPS.includes(t.data.op)) bad(`${path}.data.op must be one of ${MONITOR_OPS.join(', ')}`, 20);
    const value = t.data.value === undefined ? [] : t.data.value;
    if (!Array.isArray(value) || value.some((x) => typeof x !== 'string')) bad(`${path}.data.value must be an array of strings`, 20);
    triggers.push({ data: t.data.data, op: t.data.op, value: value as string[] });
  });
  return { label: raw.label, triggers, parameter: raw };
}

/** Whether a data trigger fires for a change from `previous` to `value`. */
export function triggerFires(t: MonitorTrigger, value: string, previous: string): boolean {
  const n = Number(value);
  const p = Number(previous);
  const limit = Number(t.value[0]);
  switch (t.op) {
    case 'onChange':
      return true;
    case 'equalsTo':
    case 'includedIn':
      return t.value.includes(value) && !t.value.includes(previous);
    case 'greaterThan':
      return n > limit && !(p > limit);
    case 'lowerThan':
      return n < limit && !(p < limit);
    default:
      return false;
  }
}
