/** Fault-injection knobs, as an object (tests) and over HTTP at /_simulator (demo, manual use). */
import express, { type Router } from 'express';
import type { RateLimiter } from './rateLimit';
import type { Simulation } from './simulation';
import type { TokenStore } from './tokens';
import type { SimControl, SimVehicleState } from './types';
import { viewOf } from './vehicles';
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
]);

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
      sim.fleet.update(id, patch);
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
          const patch = typeof b.patch === 'object' && b.patch !== null ? (b.patch as Partial<SimVehicleState>) : undefined;
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
