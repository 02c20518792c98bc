/** Starts the simulator: its HTTP(S) server with the APIs, the OAuth2 server and the control knobs. */
import { b2bRouter } from './b2b';
import { b2cRouter } from './b2c';
import { CAPABILITY_PRESETS, isCapabilityPreset } from './capabilities';
import { controlRouter, createControl } from './control';
import type { GatewayDeps } from './gateway';
import { randomHex } from './ids';
import { codePage, oauthRouter } from './oauth';
import { RateLimiter } from './rateLimit';
import { close, createApp, listen } from './server';
import { Simulation } from './simulation';
import { TokenStore } from './tokens';
import { defaultSeeds, viewOf } from './vehicles';
import type { RecordedCall, RunningSimulator, SimAccount, SimulatorOptions, SimVehicleSeed } from './types';

function checkOptions(opts: SimulatorOptions): SimVehicleSeed[] {
  const positive = (name: string, v: number | undefined, allowZero = false) => {
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0))) {
      throw new Error(`simulator: option ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number (got ${String(v)})`);
    }
  };
  positive('timeScale', opts.timeScale);
  positive('accessTokenTtlSeconds', opts.accessTokenTtlSeconds);
  positive('wakeUpsPerMonth', opts.wakeUpsPerMonth, true);
  positive('autoSleepSeconds', opts.autoSleepSeconds, true);
  positive('wakeUpDrain12v', opts.wakeUpDrain12v, true);
  positive('rateLimit.perSecond', opts.rateLimit?.perSecond, true);
  positive('rateLimit.perDay', opts.rateLimit?.perDay, true);
  if (opts.port !== undefined && (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)) {
    throw new Error(`simulator: option port must be an integer from 0 to 65535 (got ${String(opts.port)})`);
  }
  const v = opts.vehicles ?? 2;
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 1 || v > MAX_VEHICLES) throw new Error(`simulator: option vehicles must be an integer from 1 to ${MAX_VEHICLES} (got ${v})`);
    return defaultSeeds(v);
  }
  if (!Array.isArray(v) || v.length === 0) throw new Error('simulator: option vehicles must be a count or a non-empty array of seeds');
  v.forEach((s, i) => {
    if (s.kind !== 'electric' && s.kind !== 'hybrid' && s.kind !== 'thermal') throw new Error(`simulator: vehicles[${i}].kind must be "electric", "hybrid" or "thermal"`);
    if (s.statusShape !== undefined && s.statusShape !== 'current' && s.statusShape !== 'legacy2021') {
      throw new Error(`simulator: vehicles[${i}].statusShape must be "current" or "legacy2021"`);
    }
    if (typeof s.capabilities === 'string' && !isCapabilityPreset(s.capabilities)) {
      throw new Error(`simulator: vehicles[${i}].capabilities must be one of ${Object.keys(CAPABILITY_PRESETS).join(', ')} or a capabilities object`);
    }
  });
  return v;
}

/** Fleets as large as B2B accounts get (the fleet tests use 1,000). */
const MAX_VEHICLES = 10_000;

export async function startSimulator(opts: SimulatorOptions = {}): Promise<RunningSimulator> {
  const seeds = checkOptions(opts);
  const log = opts.logger ?? (() => undefined);
  const sim = new Simulation({
    seeds,
    timeScale: opts.timeScale ?? 1,
    wakeUpsPerMonth: opts.wakeUpsPerMonth ?? 20,
    autoSleepSeconds: opts.autoSleepSeconds ?? 300,
    wakeUpDrain12v: opts.wakeUpDrain12v ?? 2,
    webhookCa: opts.webhookCa,
    log,
  });
  const tokens = new TokenStore(opts.accessTokenTtlSeconds ?? 3600);
  const rateLimiter = new RateLimiter(opts.rateLimit?.perSecond ?? 20, opts.rateLimit?.perDay ?? 10_000);
  const calls: RecordedCall[] = [];
  const app = createApp();
  let listening: Awaited<ReturnType<typeof listen>>;
  try {
    listening = await listen(app, opts);
  } catch (err) {
    sim.stop();
    throw err;
  }
  const { server, url } = listening;

  const account: SimAccount = {
    clientId: 'simulator-client-id',
    clientSecret: `sim-secret-${randomHex(12)}`,
    realm: 'clientsB2CPeugeot',
    redirectUri: opts.redirectUri ?? `${url}/_simulator/oauth/callback`,
    brand: 'peugeot',
    fleetId: 'FLEET-SIM-0001',
    username: 'driver@simulator.invalid',
    password: `sim-pass-${randomHex(6)}`,
  };
  const deps: GatewayDeps = {
    account,
    calls,
    faults: sim.faults,
    rateLimiter,
    tokens,
    clock: sim.clock,
    requireClientCert: opts.tls?.requestClientCert === true,
    log,
  };
  const b2cBaseUrl = `${url}/connectedcar/v4`;
  const b2bBaseUrl = `${url}/connectedcar/v3`;
  sim.links = { b2c: b2cBaseUrl, b2b: b2bBaseUrl, fleetId: account.fleetId };
  const control = createControl(sim, tokens, rateLimiter);

  app.use('/am/oauth2', oauthRouter(account, tokens, log));
  app.use('/connectedcar/v4', b2cRouter(sim, deps, b2cBaseUrl));
  app.use('/connectedcar/v3', b2bRouter(sim, deps, b2bBaseUrl));
  app.get('/_simulator/oauth/callback', codePage);
  app.use(
    '/_simulator',
    controlRouter(sim, control, () => ({
      calls: calls.length,
      deliveries: sim.deliveries.length,
      waitingNotifications: sim.notifier.waiting,
      callbacks: sim.callbacks.size,
      remotes: sim.remotes.size,
      monitors: sim.monitors.size,
    }), log),
  );
  app.get('/', (_req, res) => {
    res.json({ simulator: 'stellantis', b2c: b2cBaseUrl, b2b: b2bBaseUrl, oauth: `${url}/am/oauth2`, state: `${url}/_simulator/state` });
  });

  let stopping: Promise<void> | undefined;
  return {
    url,
    b2cBaseUrl,
    b2bBaseUrl,
    oauthUrl: `${url}/am/oauth2`,
    account,
    vehicles: sim.fleet.vehicles.map(viewOf),
    foreignVehicleId: sim.fleet.foreign.id,
    issueTokens: () => tokens.issue(),
    calls,
    callCount(filter = {}) {
      return calls.filter(
        (c) => (!filter.method || c.method === filter.method.toUpperCase()) && (!filter.pathIncludes || c.path.includes(filter.pathIncludes)),
      ).length;
    },
    deliveries: sim.deliveries,
    vehicle: (id) => sim.fleet.get(id),
    control,
    stop() {
      stopping ??= (async () => {
        sim.stop();
        await close(server);
      })();
      return stopping;
    },
  };
}
