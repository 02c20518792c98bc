/**
 * Our one webhook callback at Stellantis, found again at every start instead of created anew:
 * list every callback (all pages), pick ours (the id we saved, else our label with our target,
 * else our label), reuse it when target and attributes match, update it when they changed, create
 * it only when absent. The id is saved under the storage folder, with the ids of the monitors on
 * it (so that notifications arriving before the monitors are listed again find their vehicle).
 * When a send says the callback is gone (404), `reRegister()` does it again.
 */
import type { StellantisClient } from '../stellantis/client';
import type { CallbackAttribute, CallbackSubscribe, UserCallback } from '../stellantis/wire';
import type { Logger } from '../util/logger';
import { JsonFile } from '../util/jsonFile';
import { isObject } from '../util/isObject';

export type CallbackApi = Pick<StellantisClient, 'listCallbacks' | 'createCallback' | 'updateCallback' | 'deleteCallback' | 'setCallbackStatus'>;

export interface CallbackSpec {
  label: string;
  target: string;
  attributes: CallbackAttribute[];
  /** B2C event types; undefined for B2B (remote callbacks only). */
  types?: Array<'Remote' | 'Monitor'>;
}

/** A monitor of ours on the saved callback: whose it is and which definition (monitors.ts key). */
export interface SavedMonitor {
  monitorId: string;
  vehicleId: string;
  key: string;
}

export type RegistrationOutcome = 'reused' | 'updated' | 'created';

export interface CallbackRegistrationOptions {
  client: CallbackApi;
  spec: () => CallbackSpec;
  /** File that keeps the callback id between runs. */
  path: string;
  logger?: Logger;
  /**
   * For callers that do not listen (the CLI sending one action): an existing callback of ours is
   * used as it is, never updated. Updating it would replace the target or secret of the
   * installation (Homebridge, Node-RED) that does listen, and lock it out of its notifications.
   */
  adoptExisting?: boolean;
}

export class CallbackRegistration {
  private id: string | undefined;
  private inflight: Promise<string> | undefined;
  private readonly file: JsonFile;
  /** What the last registration did (for logs and tests). */
  lastOutcome: RegistrationOutcome | undefined;

  constructor(private readonly opts: CallbackRegistrationOptions) {
    this.file = new JsonFile(opts.path);
  }

  get callbackId(): string | undefined {
    return this.id;
  }

  /** Our callback id, registering it first if needed (concurrent callers share one registration). */
  ensure(): Promise<string> {
    if (this.id) return Promise.resolve(this.id);
    this.inflight ??= this.register().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** The API said our callback is gone: find or create it again. */
  reRegister(goneId?: string): Promise<string> {
    if (goneId === undefined || this.id === goneId) this.id = undefined;
    return this.ensure();
  }

  /** Deletes our callback at Stellantis (with its monitors) and forgets its id. */
  async remove(): Promise<boolean> {
    const id = this.id ?? (await this.savedId());
    this.id = undefined;
    if (!id) return false;
    await this.opts.client.deleteCallback(id);
    await this.file.remove();
    this.opts.logger?.info(`webhook callback ${id} deleted at Stellantis`);
    return true;
  }

  /** The callback id saved at the last run and the monitors saved with it. */
  async savedMonitors(): Promise<{ callbackId?: string; monitors: SavedMonitor[] }> {
    const saved = await this.saved();
    if (!saved) return { monitors: [] };
    const monitors: SavedMonitor[] = [];
    const byId = saved.value.monitors;
    for (const [monitorId, m] of Object.entries(isObject(byId) ? byId : {})) {
      if (isObject(m) && typeof m.vehicleId === 'string' && typeof m.key === 'string') monitors.push({ monitorId, vehicleId: m.vehicleId, key: m.key });
    }
    return { callbackId: saved.callbackId, monitors };
  }

  /** Saves the monitors of our (registered) callback beside its id. */
  async saveMonitors(monitors: readonly SavedMonitor[]): Promise<void> {
    const callbackId = this.id;
    if (!callbackId) return;
    const spec = this.opts.spec();
    const byId: Record<string, { vehicleId: string; key: string }> = {};
    for (const m of monitors) byId[m.monitorId] = { vehicleId: m.vehicleId, key: m.key };
    await this.file.save({ callbackId, label: spec.label, target: spec.target, monitors: byId });
  }

  private async savedId(): Promise<string | undefined> {
    return (await this.saved())?.callbackId;
  }

  private async saved(): Promise<{ callbackId: string; value: Record<string, unknown> } | undefined> {
    const read = await this.file.read();
    if (read.kind !== 'ok' || !isObject(read.value)) return undefined;
    const value = read.value;
    const id = value.callbackId;
    return typeof id === 'string' && id ? { callbackId: id, value } : undefined;
  }

  private async register(): Promise<string> {
    const spec = this.opts.spec();
    const saved = await this.savedId();
    const all = await this.opts.client.listCallbacks();
    const mine = all.filter((c) => labelOf(c) === spec.label);
    const chosen =
      (saved ? all.find((c) => c.id === saved) : undefined) ??
      mine.find((c) => targetOf(c) === spec.target) ??
      mine[0];
    const body = subscribeBody(spec);
    let id: string;
    if (!chosen) {
      const ref = await this.opts.client.createCallback(body);
      id = ref.callbackId;
      this.lastOutcome = 'created';
      this.opts.logger?.info(`webhook callback registered at Stellantis (${id}) for ${spec.target}`);
    } else if (matches(chosen, spec) || this.opts.adoptExisting) {
      id = chosen.id;
      this.lastOutcome = 'reused';
      if (chosen.status !== 'Running') await this.resume(chosen);
    } else {
      await this.opts.client.updateCallback(chosen.id, body);
      id = chosen.id;
      this.lastOutcome = 'updated';
      this.opts.logger?.info(`webhook callback ${id} updated (target or attributes changed)`);
      if (chosen.status === 'Paused') await this.resume(chosen);
    }
    if (typeof id !== 'string' || !id) throw new Error('Stellantis did not return a callback id when registering the webhook');
    const others = mine.filter((c) => c.id !== id);
    if (others.length > 0) {
      this.opts.logger?.warn(
        `${others.length} other callback(s) carry the label '${spec.label}': if another installation uses this account, give it another webhook.label`,
      );
    }
    // A new id: the monitors saved with the old one are not on it.
    if (id !== saved) await this.file.save({ callbackId: id, label: spec.label, target: spec.target });
    this.id = id;
    return id;
  }

  private async resume(cb: UserCallback): Promise<void> {
    this.opts.logger?.info(`webhook callback ${cb.id} was ${cb.status}: setting it Running`);
    await this.opts.client.setCallbackStatus(cb.id, 'Running');
  }
}

export function subscribeBody(spec: CallbackSpec): CallbackSubscribe {
  const body: CallbackSubscribe = {
    label: spec.label,
    callback: { webhook: { name: spec.label, target: spec.target, attributes: spec.attributes.map((a) => ({ ...a })) } },
  };
  if (spec.types) body.type = [...spec.types];
  return body;
}

function labelOf(c: UserCallback): string | undefined {
  return c.label ?? c.subscribe?.label;
}

function targetOf(c: UserCallback): string | undefined {
  return c.subscribe?.callback?.webhook?.target;
}

function attributeKey(a: CallbackAttribute): string {
  return `${a.type}\u0000${a.key.toLowerCase()}\u0000${a.value}`;
}

function matches(c: UserCallback, spec: CallbackSpec): boolean {
  if (targetOf(c) !== spec.target) return false;
  const theirs = (c.subscribe?.callback?.webhook?.attributes ?? []).map(attributeKey).sort();
  const ours = spec.attributes.map(attributeKey).sort();
  if (theirs.length !== ours.length || theirs.some((k, i) => k !== ours[i])) return false;
  if (spec.types) {
    const types = c.subscribe?.type ?? [];
    if (!spec.types.every((t) => types.includes(t))) return false;
  }
  return true;
}
