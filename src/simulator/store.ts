/** In-memory records of callbacks, remote actions and monitors (never written to disk). */
import { ApiError } from './errors';
import type { MonitorSpec } from './monitorParam';
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

/** A monitor: a car's (B2C, on one of the user's callbacks) or the whole fleet's (B2B, with its own webhook). */
export interface SimMonitor extends MonitorSpec {
  id: string;
  flavour: Flavour;
  /** B2C: the car it watches; a B2B fleet monitor watches every car of the fleet. */
  vehicleId?: string;
  callbackId: string;
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

/**
 * Checks a B2C `CallbackSubscribe`, a B2B `RemoteCallbackSubscribe`, or (`forMonitor`) the B2B
 * `MonitorCallbackSubscribe` a fleet monitor carries, which has no `remoteTypes`.
 */
export function parseSubscribe(raw: unknown, flavour: Flavour, forMonitor = false): Omit<SimCallback, 'id' | 'status'> {
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
  } else if (forMonitor) {
    types = ['Monitor'];
  } else {
    types = ['Remote'];
    const allowed = ['ThermalPreconditioning', 'ElectricBatteryChargingRequest', 'Horn', 'Doors', 'Lights', 'Immobilization', 'Stolen', 'WakeUp', 'Navigation'];
    if (!Array.isArray(raw.remoteTypes) || raw.remoteTypes.length === 0) bad('remoteTypes is required: a non-empty array of remote types');
    raw.remoteTypes.forEach((t, i) => {
      if (typeof t !== 'string' || !allowed.includes(t)) bad(`remoteTypes[${i}] must be one of ${allowed.join(', ')}`);
    });
    remoteTypes = raw.remoteTypes as string[];
  }
  if (flavour === 'b2b') {
    if (raw.retryPolicy !== undefined) {
      const rp = raw.retryPolicy;
      if (!isObject(rp) || (rp.policy !== 'None' && rp.policy !== 'Bounded' && !(forMonitor && rp.policy === 'Always'))) {
        bad(`retryPolicy.policy must be ${forMonitor ? '"None", "Bounded" or "Always"' : '"None" or "Bounded"'}`);
      }
      const retryNumber = rp.retryNumber === undefined ? 3 : rp.retryNumber;
      const retryDelay = rp.retryDelay === undefined ? 10 : rp.retryDelay;
      if (!Number.isInteger(retryNumber) || (retryNumber as number) < 1) bad('retryPolicy.retryNumber must be an integer >= 1');
      if (!Number.isInteger(retryDelay) || (retryDelay as number) < 1) bad('retryPolicy.retryDelay must be an integer >= 1 (seconds)');
      if (rp.policy === 'Always') retry = { ...retry, retryDelay: retryDelay as number };
      else retry = { policy: rp.policy, retryNumber: retryNumber as number, retryDelay: retryDelay as number };
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
