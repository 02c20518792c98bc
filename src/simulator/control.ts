/** Fault-injection knobs, as an object (tests) and over HTTP at /_simulator (demo, manual use). */
import express, { type Router } from 'express';
import type { RateLimiter } from './rateLimit';
import type { Simulation } from './simulation';
import type { TokenStore } from './tokens';
import type { SimAlarmTriggerType, SimControl, SimOpening, SimRoute, SimVehiclePatch, SimVehicleState } from './types';
import { OPENINGS, viewOf } from './vehicles';
import { errorText } from '../util/errorText';

function count(n: unknown, knob: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new Error(`${knob}: count must be a non-negative integer (got ${String(n)})`);
  return n;
}

/** Keys of SimVehicleState that setVehicle accepts (the id cannot change). */
const PATCHABLE = new Set<keyof SimVehicleState>([
  'asleep', 'deepSleep', 'online', 'locked', 'doorsOpen', 'level', 'plugged', 'charging', 'chargingStatus', 'chargingType',
  'preconditioning', 'preconditioningStatus', 'outsideTemp', 'position', 'privacy', 'wakeUpsUsed', 'immobilized', 'stolen', 'mileage',
  'brand', 'model',
  'openings', 'lockedStates', 'alarmActive', 'fuelLevel', 'battery12v', 'battery12vCurrent', 'moving', 'statusShape', 'batteryHealth',
  'speedKmh', 'alarmTrigger', 'chargePrograms',
]);

const ALARM_TRIGGERS: readonly SimAlarmTriggerType[] = [
  'NoBreakIn', 'FrontRightDoorBreakIn', 'FrontLeftDoorBreakIn', 'RearRightFrontDoorBreakIn', 'RearLeftFrontDoorBreakIn', 'HoodDoorBreakIn',
  'TrunkDoorBreakIn', 'BackliteDoorBreakIn', 'RoofBreakIn', 'VolumetricBreakIn', 'VehicleLifting', 'ElectricalsystemBreakIn', 'KeyLearning',
  'UnauthenticatedStartup',
];

const LOCKED_STATES: readonly string[] = [
  'Unlocked', 'Locked', 'SuperLocked', 'DriverDoorUnlocked', 'CabinDoorsUnlocked', 'CargoDoorsLocked', 'CargoDoorsUnlocked',
  'RearDoorsUnlocked', 'RearDoorsLocked', 'TrunkLocked', 'TrunkUnLocked',
];

function percent(v: unknown, key: string): void {
  if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 100)) throw new Error(`setVehicle: ${key} must be a number from 0 to 100 (got ${String(v)})`);
}

function boolean(v: unknown, key: string): void {
  if (v !== undefined && typeof v !== 'boolean') throw new Error(`setVehicle: ${key} must be true or false (got ${String(v)})`);
}

/** The new knobs' values are checked, so a typo meets a sentence rather than a broken status body. */
function checkPatch(patch: Record<string, unknown>): void {
  for (const key of ['level', 'fuelLevel', 'battery12v']) percent(patch[key], key);
  for (const key of ['alarmActive', 'moving']) boolean(patch[key], key);
  if (patch.openings !== undefined) {
    const o = patch.openings;
    if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new Error(`setVehicle: openings must be an object such as {"Trunk": true, "RoofWindow": true} (of ${OPENINGS.join(', ')})`);
    for (const [k, val] of Object.entries(o)) {
      if (!OPENINGS.includes(k as SimOpening)) throw new Error(`setVehicle: openings.${k} is not an opening; use ${OPENINGS.join(', ')}`);
      if (typeof val !== 'boolean') throw new Error(`setVehicle: openings.${k} must be true (open) or false (closed)`);
    }
  }
  if (patch.lockedStates !== undefined) {
    const l = patch.lockedStates;
    if (!Array.isArray(l) || l.length === 0 || l.some((x) => !LOCKED_STATES.includes(x as string))) {
      throw new Error(`setVehicle: lockedStates must be a non-empty list of ${LOCKED_STATES.join(', ')}`);
    }
  }
  if (patch.position !== undefined) {
    const p = patch.position as Record<string, unknown> | null;
    if (typeof p !== 'object' || p === null || typeof p.lat !== 'number' || typeof p.lon !== 'number' || Math.abs(p.lat) > 90 || Math.abs(p.lon) > 180) {
      throw new Error('setVehicle: position must be {"lat": -90..90, "lon": -180..180}');
    }
  }
  if (patch.speedKmh !== undefined && (typeof patch.speedKmh !== 'number' || !(patch.speedKmh >= 0 && patch.speedKmh <= 250))) {
    throw new Error('setVehicle: speedKmh must be a number from 0 to 250');
  }
  if (patch.alarmTrigger !== undefined && !ALARM_TRIGGERS.includes(patch.alarmTrigger as SimAlarmTriggerType)) {
    throw new Error(`setVehicle: alarmTrigger must be one of ${ALARM_TRIGGERS.join(', ')}`);
  }
  if (patch.statusShape !== undefined && patch.statusShape !== 'current' && patch.statusShape !== 'legacy2021') {
    throw new Error('setVehicle: statusShape must be "current" or "legacy2021"');
  }
  if (patch.battery12vCurrent !== undefined && (typeof patch.battery12vCurrent !== 'number' || !Number.isFinite(patch.battery12vCurrent))) {
    throw new Error('setVehicle: battery12vCurrent must be a number (amperes)');
  }
  if (patch.batteryHealth !== undefined) {
    const h = patch.batteryHealth as Record<string, unknown> | null;
    if (typeof h !== 'object' || h === null) throw new Error('setVehicle: batteryHealth must be {"capacity": %, "resistance": %}');
    percent(h.capacity, 'batteryHealth.capacity');
    percent(h.resistance, 'batteryHealth.resistance');
    if (typeof h.capacity !== 'number' || typeof h.resistance !== 'number') throw new Error('setVehicle: batteryHealth needs capacity and resistance');
  }
}

export function createControl(sim: Simulation, tokens: TokenStore, rateLimiter: RateLimiter): SimControl {
  return {
    failNext(n, status = 503) {
      if (!Number.isInteger(status) || status < 500 || status > 599) throw new Error(`failNext: status must be a 5xx code (got ${status})`);
      sim.faults.failCount = count(n, 'failNext');
      sim.faults.failStatus = status;
    },
    delayNext(n, ms) {
      if (typeof ms !== 'number' || ms < 0) throw new Error('delayNext: ms must be a non-negative number');
      sim.faults.delayCount = count(n, 'delayNext');
      sim.faults.delayMs = ms;
    },
    hangNext(n) {
      sim.faults.hangCount = count(n, 'hangNext');
    },
    expireAccessTokens: () => tokens.expireAccessTokens(),
    revokeRefreshTokens: () => tokens.revokeRefreshTokens(),
    setRateLimit(limit) {
      for (const [k, v] of Object.entries(limit)) {
        if (v !== undefined && (typeof v !== 'number' || v < 0)) throw new Error(`setRateLimit: ${k} must be a non-negative number`);
      }
      rateLimiter.set(limit);
    },
    setVehicle(id, patch) {
      for (const key of Object.keys(patch)) {
        if (!PATCHABLE.has(key as keyof SimVehicleState)) {
          throw new Error(`setVehicle: "${key}" cannot be set; use one of ${[...PATCHABLE].join(', ')}`);
        }
      }
      checkPatch(patch as Record<string, unknown>);
      const v = sim.fleet.get(id);
      const { alarmTrigger, ...rest } = patch;
      const next = rest as Partial<SimVehicleState>;
      if (alarmTrigger !== undefined) {
        // A break-in sets off an armed alarm only; NoBreakIn clears the last trigger.
        if (alarmTrigger !== 'NoBreakIn' && !(patch.alarmActive ?? v.alarmActive)) {
          throw new Error('setVehicle: the alarm is not armed; set alarmActive true (in the same patch or before) to trigger it');
        }
        next.alarmTrigger = { type: alarmTrigger, startAt: Date.now(), position: { ...(patch.position ?? v.position) } };
      }
      // A teleport or a change of `moving` ends a route in progress.
      if (patch.position !== undefined || patch.moving !== undefined) sim.driver.cancel(id);
      // Fleet.update completes a partial `openings` with the car's current ones.
      sim.fleet.update(id, next);
    },
    exhaustWakeUps(id) {
      sim.fleet.update(id, { wakeUpsUsed: sim.wakeUpsPerMonth });
    },
    dropNotifications(n) {
      sim.faults.dropCount = count(n, 'dropNotifications');
    },
    duplicateNotifications(n) {
      sim.faults.duplicateCount = count(n, 'duplicateNotifications');
    },
    reorderNotifications(on) {
      sim.faults.reorder = on === true;
    },
    pauseDelivery() {
      sim.faults.deliveryPaused = true;
    },
    resumeDelivery() {
      sim.faults.deliveryPaused = false;
      sim.notifier.kickAll();
    },
    drive(id: string, route: SimRoute) {
      sim.driver.drive(id, route);
    },
    setClock(at) {
      const ms = typeof at === 'number' ? at : Date.parse(at);
      if (!Number.isFinite(ms)) throw new Error('setClock: at must be an RFC 3339 time (2024-05-01T21:59:00Z) or epoch ms');
      sim.setClock(ms);
    },
  };
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

export function controlRouter(sim: Simulation, control: SimControl, counters: () => Record<string, number>, log: (line: string) => void): Router {
  const r = express.Router();
  r.use(express.json({ type: () => true }));

  r.get('/state', (_req, res) => {
    res.json({
      vehicles: sim.fleet.vehicles.map((v) => ({ ...viewOf(v), state: v })),
      counters: counters(),
      faults: sim.faults.snapshot(),
    });
  });

  r.post('/control/:knob', (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const knob = String(req.params.knob);
    try {
      switch (knob) {
        case 'failNext':
          control.failNext(num(b.count) ?? 1, num(b.status));
          break;
        case 'delayNext':
          control.delayNext(num(b.count) ?? 1, num(b.ms) ?? 0);
          break;
        case 'hangNext':
          control.hangNext(num(b.count) ?? 1);
          break;
        case 'expireAccessTokens':
          control.expireAccessTokens();
          break;
        case 'revokeRefreshTokens':
          control.revokeRefreshTokens();
          break;
        case 'setRateLimit':
          control.setRateLimit({ perSecond: num(b.perSecond), perDay: num(b.perDay) });
          break;
        case 'setVehicle': {
          const patch = typeof b.patch === 'object' && b.patch !== null ? (b.patch as SimVehiclePatch) : undefined;
          if (typeof b.id !== 'string' || !patch) throw new Error('setVehicle needs {"id": "<vehicle id>", "patch": {...}}');
          control.setVehicle(b.id, patch);
          break;
        }
        case 'exhaustWakeUps':
          if (typeof b.id !== 'string') throw new Error('exhaustWakeUps needs {"id": "<vehicle id>"}');
          control.exhaustWakeUps(b.id);
          break;
        case 'dropNotifications':
          control.dropNotifications(num(b.count) ?? 1);
          break;
        case 'duplicateNotifications':
          control.duplicateNotifications(num(b.count) ?? 1);
          break;
        case 'reorderNotifications':
          control.reorderNotifications(b.on !== false);
          break;
        case 'drive':
          if (typeof b.id !== 'string') throw new Error('drive needs {"id": "<vehicle id>", "route": [{"lat", "lon"}, ...], "speedKmh"?}');
          control.drive(b.id, { route: b.route as SimRoute['route'], speedKmh: num(b.speedKmh) });
          break;
        case 'setClock':
          control.setClock(b.at as string);
          break;
        case 'pauseDelivery':
          control.pauseDelivery();
          break;
        case 'resumeDelivery':
          control.resumeDelivery();
          break;
        default:
          res.status(404).json({ error: `unknown knob "${knob}"` });
          return;
      }
    } catch (err) {
      res.status(400).json({ error: errorText(err) });
      return;
    }
    log(`control ${knob}`);
    res.json({ ok: true, knob, faults: sim.faults.snapshot() });
  });

  return r;
}
