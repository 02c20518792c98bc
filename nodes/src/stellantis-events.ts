/**
 * stellantis-events: one message per notification the account receives (remote and monitor), and
 * optionally per change of the normalized vehicle state; filtered by vehicle and kind, msg.topic
 * telling which kind it is.
 */
import type { ChargeLimitEvent, VehicleSense, VehicleStateChange } from '../../src/engine/types';
import type { WebhookMessage } from '../../src/stellantis/wire';
import { t, useRuntimeI18n } from './lib/i18n';
import { accountRuntimeOf } from './lib/accountLookup';
import { followAccountStatus } from './lib/accountStatus';
import { LISTENING, NO_ACCOUNT, succeeded } from './lib/nodeStatus';
import type { NodeAPI, NodeDef, NodeMessage, RedNode } from './lib/red';
import { clock } from './lib/statusText';

interface EventsSettings {
  account?: string;
  vehicle?: string;
  remote?: boolean;
  monitor?: boolean;
  state?: boolean;
  senses?: boolean;
  chargeLimit?: boolean;
}

type EventKind = 'remote' | 'monitor' | 'state' | 'senses' | 'chargeLimit';

export function kindOf(m: WebhookMessage): 'remote' | 'monitor' {
  return m.type === 'Monitor' || (m.monitorEvent !== undefined && m.remoteEvent === undefined) ? 'monitor' : 'remote';
}

/** Monitor values by data name: {"vehicle.energy.charging.status": "Finished"}. */
export function monitorValues(m: WebhookMessage): Record<string, string> {
  const values: Record<string, string> = {};
  for (const v of m.monitorEvent?.values ?? []) {
    const literal = v?.value?.body?.literalValue;
    if (typeof v?.data === 'string' && typeof literal === 'string') values[v.data] = literal;
  }
  return values;
}

/** The texts under the node after a message, in the runtime language (stellantis.events.*). */
export const summaryOf = {
  monitor: (values: Record<string, string>): string => t('events.monitor', { values: Object.values(values).join(', ') || t('events.monitorChange') }),
  remote: (m: WebhookMessage): string =>
    t('events.remote', { type: String(m.remoteEvent?.remoteType ?? t('events.remoteUnknown')), status: String(m.remoteEvent?.eventStatus?.status ?? '?') }),
  state: (source: string): string => t('events.state', { source }),
};

export default function register(RED: NodeAPI): void {
  useRuntimeI18n(RED._);
  function StellantisEventsNode(this: RedNode, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    setUpEventsNode(this, def as EventsSettings);
  }

  function setUpEventsNode(node: RedNode, settings: EventsSettings): void {
    const wanted: Record<EventKind, boolean> = {
      remote: settings.remote !== false,
      monitor: settings.monitor !== false,
      state: settings.state === true,
      senses: settings.senses !== false,
      chargeLimit: settings.chargeLimit !== false,
    };
    const onlyVehicle = typeof settings.vehicle === 'string' && settings.vehicle.trim() !== '' ? settings.vehicle.trim() : undefined;
    let received = 0;

    const runtime = accountRuntimeOf(RED, settings.account);
    if (!runtime) {
      node.status(NO_ACCOUNT);
      return;
    }

    const vehicleMatches = (vehicleId: string | undefined): boolean => {
      if (!onlyVehicle) return true;
      return vehicleId === onlyVehicle || (vehicleId !== undefined && runtime.vehicleNames.get(vehicleId)?.toLowerCase() === onlyVehicle.toLowerCase());
    };

    const emit = (msg: NodeMessage, summary: string): void => {
      received += 1;
      node.status(succeeded(`${summary} ${clock(Date.now())}`));
      node.send(msg);
    };

    const onNotification = (m: WebhookMessage, vehicleId?: string): void => {
      const kind = kindOf(m);
      if (!wanted[kind] || !vehicleMatches(vehicleId)) return;
      const msg: NodeMessage = { topic: kind, payload: m, vehicle: vehicleId };
      if (kind === 'monitor') {
        msg.values = monitorValues(m);
        emit(msg, summaryOf.monitor(msg.values as Record<string, string>));
      } else {
        msg.remoteType = m.remoteEvent?.remoteType;
        emit(msg, summaryOf.remote(m));
      }
    };

    const onState = (c: VehicleStateChange): void => {
      if (!wanted.state || !vehicleMatches(c.vehicleId)) return;
      emit({ topic: 'state', payload: c.state, vehicle: c.vehicleId, source: c.source }, summaryOf.state(c.source));
    };

    // One message per moment of the car, msg.topic its kind: arrived, left, alarm, plugged, unplugged, driving, parked.
    const onSense = (sense: VehicleSense): void => {
      if (!wanted.senses || !vehicleMatches(sense.vehicleId)) return;
      const { vehicleId, kind, ...detail } = sense;
      emit({ topic: kind, payload: detail, vehicle: vehicleId }, kind === 'alarm' ? `alarm: ${sense.triggerType ?? '?'}` : kind);
    };

    // The charge limit: msg.topic "chargeLimit", payload.kind set / cleared / stopped / not-stopped (payload.text says why).
    const onChargeLimit = (e: ChargeLimitEvent): void => {
      if (!wanted.chargeLimit || !vehicleMatches(e.vehicleId)) return;
      const { vehicleId, ...detail } = e;
      emit({ topic: 'chargeLimit', payload: detail, vehicle: vehicleId }, `charge limit: ${e.kind}`);
    };

    runtime.on('notification', onNotification);
    runtime.on('chargeLimit', onChargeLimit);
    runtime.on('state', onState);
    runtime.on('sense', onSense);
    const stopFollowing = followAccountStatus(node, runtime, () => received === 0, () => node.status(LISTENING));

    node.on('close', (_removed, done) => {
      runtime.off('notification', onNotification);
      runtime.off('state', onState);
      runtime.off('sense', onSense);
      runtime.off('chargeLimit', onChargeLimit);
      stopFollowing();
      done();
    });
  }

  RED.nodes.registerType('stellantis-events', StellantisEventsNode);
}
