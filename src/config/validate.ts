/**
 * Validates the shared account configuration (Homebridge platform config, Node-RED config node,
 * CLI --config file) and fills its defaults. Every problem is reported at once, each naming its key
 * and what to do; secret values (client secret, password, webhook secret, passphrase) are never
 * repeated in a message. The generic field readers are in readers.ts, the resolved shape and its
 * defaults in resolved.ts (both re-exported here).
 */
import { BRANDS, type Brand, type CertificateConfig, type NavigationDestination, type VehicleFeatures } from './account';
import { checkFile, checkTypos, checkUrl, describeType, ProblemList, Reader, type Json } from './readers';
import { readHomeZone } from './homeZone';
import {
  ALL_INTERFACES,
  CONFIG_DEFAULTS,
  MIN_STATUS_INTERVAL_MINUTES,
  type ResolvedAccountConfig,
  type ResolvedVehicleConfig,
  type ResolvedWebhookConfig,
  type ValidateOptions,
  type ValidationResult,
} from './resolved';
import { BRAND_INFO, DEFAULT_BASE_URLS } from '../stellantis/brands';
import { checkNavigationPoints, InvalidActionError } from '../stellantis/remoteBody';
import type { Flavour } from '../stellantis/wire';
import { isObject } from '../util/isObject';
import { compileTrust } from '../webhook/clientAddress';
import { SECRET_CHARACTERS } from '../webhook/listenerOptions';

export { formatProblems, likelyTypoOf, type ConfigProblem } from './readers';
export * from './resolved';

const TIMEOUT_RANGE_MS = [1_000, 300_000] as const;

const TOP_LEVEL_KEYS = [
  'flavour', 'fleetId', 'baseUrl', 'brand', 'realm', 'oauthUrl', 'clientId', 'clientSecret', 'username', 'password',
  'redirectUri', 'certificate', 'webhook', 'vehicles', 'requestTimeoutMs', 'statusIntervalMinutes', 'lowAuxBatteryPercent',
  'wakeUpsPerMonth', 'simulator',
];
const CERTIFICATE_KEYS = ['cert', 'key', 'passphrase', 'ca'];
const WEBHOOK_KEYS = ['publicUrl', 'host', 'port', 'path', 'secret', 'label', 'trustProxy', 'https', 'monitors'];
const VEHICLE_KEYS = ['id', 'vin', 'name', 'model', 'features', 'destinations', 'home'];
const FEATURE_KEYS = Object.keys(CONFIG_DEFAULTS.vehicleFeatures);
const SECRET_KEYS: ReadonlySet<string> = new Set(['clientSecret', 'password', 'webhook.secret', 'certificate.passphrase']);

function normalizeBrand(value: string): string {
  return value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim().toLowerCase();
}

interface Context {
  simulator: boolean;
  flavour: Flavour;
  checkFiles: boolean;
  baseDir: string;
  read: Reader;
  problems: ProblemList;
}

function readCertificate(input: Json, ctx: Context): CertificateConfig | undefined {
  const { read, problems } = ctx;
  const cert = read.object(input, 'certificate', '', 'the mutual-TLS client certificate: {cert, key, ca, passphrase}');
  if (!cert) {
    if (input.certificate === undefined && !ctx.simulator) {
      problems.add('certificate', 'missing; set certificate.cert and certificate.key to the PEM files of the client certificate Stellantis issued');
    }
    return undefined;
  }
  checkTypos(cert, CERTIFICATE_KEYS, 'certificate.', problems);
  const out: Partial<CertificateConfig> = {};
  for (const key of ['cert', 'key', 'ca'] as const) {
    const file = read.string(cert, key, 'certificate.', 'a path to a PEM file');
    if (file === undefined) {
      if (key !== 'ca' && cert[key] === undefined) problems.add(`certificate.${key}`, `missing; set the path of the PEM ${key === 'cert' ? 'certificate' : 'private key'} file`);
      continue;
    }
    out[key] = file;
    if (ctx.checkFiles) checkFile(file, `certificate.${key}`, ctx.baseDir, problems);
  }
  if (cert.passphrase !== undefined && typeof cert.passphrase !== 'string') {
    problems.add('certificate.passphrase', `must be text, not ${describeType(cert.passphrase)}`);
  } else if (typeof cert.passphrase === 'string') {
    out.passphrase = cert.passphrase;
  }
  return out.cert !== undefined && out.key !== undefined ? (out as CertificateConfig) : undefined;
}

function readWebhook(input: Json, ctx: Context, requireWebhook: boolean): ResolvedWebhookConfig {
  const { read, problems } = ctx;
  const defaults = CONFIG_DEFAULTS.webhook;
  const hook = read.object(input, 'webhook', '', 'the notification listener: {publicUrl, port, path, ...}') ?? {};
  const p = 'webhook.';
  checkTypos(hook, WEBHOOK_KEYS, p, problems);
  const out: ResolvedWebhookConfig = { ...defaults };
  const publicUrl = checkUrl(read.string(hook, 'publicUrl', p, 'the public https:// address Stellantis will POST to'), 'webhook.publicUrl', ctx.simulator, problems,
    'set the public address of your reverse proxy or tunnel in front of the listener');
  if (publicUrl !== undefined) out.publicUrl = publicUrl;
  else if (requireWebhook && hook.publicUrl === undefined && !ctx.simulator) {
    problems.add('webhook.publicUrl', 'missing; set the public https:// URL (reverse proxy or tunnel) that forwards to the local listener');
  }
  const host = read.string(hook, 'host', p, 'the local address to listen on, such as 127.0.0.1');
  if (host !== undefined) out.host = host;
  const port = read.integer(hook, 'port', p, 0, 65535, 'port');
  if (port !== undefined) out.port = port;
  const hookPath = read.string(hook, 'path', p, "the listener's path, such as /stellantis/webhook");
  if (hookPath !== undefined) {
    if (!hookPath.startsWith('/') || /[\s?#]/.test(hookPath)) problems.add('webhook.path', `${problems.shown('webhook.path', hookPath)} must start with / and hold no spaces, ? or #`);
    else out.path = hookPath;
  }
  if (hook.secret !== undefined) {
    if (typeof hook.secret !== 'string') problems.add('webhook.secret', `must be text, not ${describeType(hook.secret)}; or remove it to have one generated`);
    else if (hook.secret.length < 16) problems.add('webhook.secret', 'is too short; use at least 16 characters, or remove it to have one generated');
    else if (!SECRET_CHARACTERS.test(hook.secret)) {
      problems.add('webhook.secret',
        'holds spaces or characters other than visible ASCII (letters, digits, punctuation), which can never match the header Stellantis sends; ' +
          'remove them, or remove webhook.secret to have one generated');
    } else out.secret = hook.secret;
  }
  const label = read.string(hook, 'label', p, 'the callback label used to find our callback again');
  if (label !== undefined) out.label = label;
  const monitors = read.boolean(hook, 'monitors', p);
  if (monitors !== undefined) out.monitors = monitors;
  const trustProxy = readTrustProxy(hook.trustProxy, problems);
  if (trustProxy !== undefined) out.trustProxy = trustProxy;
  const https = read.object(hook, 'https', p, 'a local TLS certificate for the listener: {cert, key}');
  if (https) {
    const files: Partial<{ cert: string; key: string }> = {};
    for (const key of ['cert', 'key'] as const) {
      const file = read.string(https, key, 'webhook.https.', 'a path to a PEM file');
      if (file === undefined) {
        if (https[key] === undefined) problems.add(`webhook.https.${key}`, 'missing; set the path of the PEM file, or remove webhook.https to listen in plain HTTP behind your proxy');
        continue;
      }
      files[key] = file;
      if (ctx.checkFiles) checkFile(file, `webhook.https.${key}`, ctx.baseDir, problems);
    }
    if (files.cert !== undefined && files.key !== undefined) out.https = { cert: files.cert, key: files.key };
  }
  // Plain HTTP carries the secret in clear: loopback unless webhook.host opens it. An HTTPS listener may face the network.
  if (host === undefined && out.https) out.host = ALL_INTERFACES;
  return out;
}

const TRUST_PROXY_FORMS = "'loopback' (a proxy on this machine), the proxy's address or CIDR such as '10.0.0.2' (several: a list or comma-separated), or a number of proxies";

/** webhook.trustProxy in the forms Express takes; every entry is checked now rather than when the listener starts. */
function readTrustProxy(value: unknown, problems: ProblemList): ResolvedWebhookConfig['trustProxy'] {
  const key = 'webhook.trustProxy';
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) && value.every((e) => typeof e === 'string') ? (value as string[]) : undefined;
  const usable = typeof value === 'boolean' || typeof value === 'string' || typeof value === 'number' || list !== undefined;
  if (!usable) {
    problems.add(key, `must be ${TRUST_PROXY_FORMS}, not ${problems.shown(key, value)}`);
    return undefined;
  }
  try {
    compileTrust(list ?? (value as boolean | string | number));
  } catch (err) {
    const why = (err as Error).message.replace(/^webhook trustProxy: /, '');
    problems.add(key, `${why}; use ${TRUST_PROXY_FORMS}`);
    return undefined;
  }
  return list ?? (value as boolean | string | number);
}

function readDestinations(vehicle: Json, prefix: string, ctx: Context): NavigationDestination[] {
  const value = vehicle.destinations;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    ctx.problems.add(`${prefix}destinations`, 'must be a list of {name, points: [{lat, lon}]}');
    return [];
  }
  const out: NavigationDestination[] = [];
  const names = new Map<string, number>();
  value.forEach((d: unknown, i: number) => {
    const at = `${prefix}destinations[${i}]`;
    if (!isObject(d)) {
      ctx.problems.add(at, 'must be an object {name, points: [{lat, lon}]}');
      return;
    }
    const name = ctx.read.string(d, 'name', `${at}.`, 'the name Siri and Node-RED use for this destination');
    if (name === undefined && d.name === undefined) ctx.problems.add(`${at}.name`, 'missing; give the destination a name');
    if (name !== undefined) {
      const first = names.get(name.toLowerCase());
      if (first !== undefined) ctx.problems.add(`${at}.name`, `'${name}' is used twice (also ${prefix}destinations[${first}]); give each destination its own name`);
      else names.set(name.toLowerCase(), i);
    }
    try {
      const points = checkNavigationPoints(d.points, 'points');
      if (name !== undefined) out.push({ name, points });
    } catch (err) {
      if (!(err instanceof InvalidActionError)) throw err;
      ctx.problems.add(`${at}.${err.field}`, err.message.slice(err.field.length + 2));
    }
  });
  return out;
}

function readFeatures(vehicle: Json, prefix: string, ctx: Context): Required<VehicleFeatures> {
  const features: Required<VehicleFeatures> = { ...CONFIG_DEFAULTS.vehicleFeatures };
  const input = ctx.read.object(vehicle, 'features', prefix, 'feature switches such as {"horn": false}');
  if (!input) return features;
  checkTypos(input, FEATURE_KEYS, `${prefix}features.`, ctx.problems);
  for (const key of FEATURE_KEYS as Array<keyof VehicleFeatures>) {
    const value = ctx.read.boolean(input, key, `${prefix}features.`);
    if (value === undefined) continue;
    if (value && (key === 'immobilization' || key === 'stolen') && ctx.flavour !== 'b2b') {
      ctx.problems.add(`${prefix}features.${key}`, `${key} is only available with the fleet (b2b) API; set flavour: b2b or remove it`);
      continue;
    }
    features[key] = value;
  }
  return features;
}

function readVehicles(input: Json, ctx: Context): ResolvedVehicleConfig[] {
  const { problems, read } = ctx;
  const value = input.vehicles;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.add('vehicles', 'must be a list of vehicles such as [{"id": "..."}]; list yours with `stellantis vehicles`');
    return [];
  }
  const seen = new Map<string, number>();
  const out: ResolvedVehicleConfig[] = [];
  value.forEach((v: unknown, i: number) => {
    const prefix = `vehicles[${i}].`;
    if (!isObject(v)) {
      problems.add(`vehicles[${i}]`, 'must be an object such as {"id": "..."}');
      return;
    }
    checkTypos(v, VEHICLE_KEYS, prefix, problems);
    const id = read.string(v, 'id', prefix, 'copy it from `stellantis vehicles`');
    if (id === undefined && (v.id === undefined || v.id === null)) problems.add(`${prefix}id`, 'missing; copy it from `stellantis vehicles`');
    if (id !== undefined) {
      const first = seen.get(id);
      if (first !== undefined) problems.add(`${prefix}id`, `'${id}' is used twice (also vehicles[${first}].id); list each vehicle once`);
      else seen.set(id, i);
    }
    const vin = read.string(v, 'vin', prefix, 'the 17-character VIN');
    if (vin !== undefined && !/^[A-HJ-NPR-Z0-9]{17}$/i.test(vin)) problems.add(`${prefix}vin`, `${problems.shown('vin', vin)} is not a VIN; a VIN has 17 letters and digits (no I, O or Q), or remove it`);
    const name = read.string(v, 'name', prefix, 'the name shown in Apple Home and Node-RED');
    const model = read.string(v, 'model', prefix, 'the model, such as e-208');
    const features = readFeatures(v, prefix, ctx);
    const destinations = readDestinations(v, prefix, ctx);
    const home = readHomeZone(v, prefix, problems);
    if (id === undefined) return;
    out.push({
      id,
      ...(vin !== undefined ? { vin: vin.toUpperCase() } : {}),
      name: name ?? (value.length === 1 ? CONFIG_DEFAULTS.vehicleName : id),
      ...(model !== undefined ? { model } : {}),
      features,
      destinations,
      ...(home ? { home } : {}),
    });
  });
  return out;
}

/**
 * Validates `input` and fills its defaults; returns every problem at once when invalid.
 * Unknown keys are ignored (hosts add their own: Homebridge `platform`, `name`, `_bridge`; Node-RED
 * its node fields) unless they are clearly a typo of a known key.
 */
export function validateAccountConfig(input: unknown, opts: ValidateOptions = {}): ValidationResult {
  const problems = new ProblemList(SECRET_KEYS);
  if (!isObject(input)) {
    problems.add('(config)', `must be an object with at least clientId, brand and certificate, not ${describeType(input)}`);
    return { ok: false, problems: problems.items };
  }
  const read = new Reader(problems);
  checkTypos(input, TOP_LEVEL_KEYS, '', problems);

  const simulator = read.boolean(input, 'simulator', '') ?? false;
  let flavour: Flavour = CONFIG_DEFAULTS.flavour;
  const flavourText = read.string(input, 'flavour', '', 'b2c (end user) or b2b (fleet)');
  if (flavourText !== undefined) {
    const f = flavourText.toLowerCase();
    if (f === 'b2c' || f === 'b2b') flavour = f;
    else problems.add('flavour', `${problems.shown('flavour', flavourText)} is not one of b2c, b2b`);
  }
  const ctx: Context = {
    simulator,
    flavour,
    checkFiles: opts.checkFiles ?? true,
    baseDir: opts.baseDir ?? process.cwd(),
    read,
    problems,
  };

  const clientId = read.string(input, 'clientId', '', "your application's client id from the Stellantis developer portal");
  if (input.clientId === undefined && !simulator) problems.add('clientId', "missing; copy your application's client id from the Stellantis developer portal");

  const clientSecret = input.clientSecret;
  if (clientSecret !== undefined && typeof clientSecret !== 'string') {
    problems.add('clientSecret', `must be text, not ${describeType(clientSecret)}`);
  } else if (flavour === 'b2c' && !simulator && (clientSecret === undefined || clientSecret === '')) {
    problems.add('clientSecret', "missing; copy your application's client secret from the Stellantis developer portal");
  }

  let brand: Brand | undefined;
  const brandText = read.string(input, 'brand', '', `one of ${BRANDS.join(', ')}`);
  if (brandText !== undefined) {
    const b = normalizeBrand(brandText);
    if ((BRANDS as readonly string[]).includes(b)) brand = b as Brand;
    else problems.add('brand', `${problems.shown('brand', brandText)} is not one of ${BRANDS.join(', ')}`);
  }
  const realmGiven = read.string(input, 'realm', '', 'the x-introspect-realm value, such as clientsB2CPeugeot');
  const oauthGiven = checkUrl(read.string(input, 'oauthUrl', '', 'the OAuth2 server URL'), 'oauthUrl', simulator, problems, 'or remove it to use the brand\'s');
  const fromBrand = brand !== undefined ? BRAND_INFO[brand] : simulator && flavour === 'b2c' ? BRAND_INFO.peugeot : undefined;
  const realm = realmGiven ?? fromBrand?.realm;
  const oauthUrl = oauthGiven ?? fromBrand?.oauthUrl;
  if (flavour === 'b2c' && input.brand === undefined && !simulator && (realmGiven === undefined || input.oauthUrl === undefined)) {
    problems.add('brand', `missing; set the brand of your car, one of ${BRANDS.join(', ')}`);
  }

  const fleetId = read.string(input, 'fleetId', '', 'your fleet id (see GET /fleets)');
  if (flavour === 'b2b' && input.fleetId === undefined && !simulator) problems.add('fleetId', 'required when flavour is b2b; copy it from your fleet contract or GET /fleets');
  const username = read.string(input, 'username', '', 'the B2B API user name');
  if (input.password !== undefined && typeof input.password !== 'string') problems.add('password', `must be text, not ${describeType(input.password)}`);
  const password = typeof input.password === 'string' && input.password !== '' ? input.password : undefined;
  if (flavour === 'b2b' && !simulator) {
    if (input.username === undefined) problems.add('username', 'required when flavour is b2b (HTTP Basic user of the fleet API)');
    if (input.password === undefined) problems.add('password', 'required when flavour is b2b (HTTP Basic password of the fleet API)');
  }

  const baseUrl = checkUrl(read.string(input, 'baseUrl', '', 'the API base'), 'baseUrl', simulator, problems, `or remove it to use ${DEFAULT_BASE_URLS[flavour]}`)
    ?? DEFAULT_BASE_URLS[flavour];
  const redirectUri = checkUrl(read.string(input, 'redirectUri', '', 'the OAuth2 redirect URI registered with your application'), 'redirectUri', true, problems,
    'use the redirect URI registered with your application', true);

  const certificate = readCertificate(input, ctx);
  const webhook = readWebhook(input, ctx, opts.requireWebhook ?? false);
  const vehicles = readVehicles(input, ctx);

  const requestTimeoutMs = read.integer(input, 'requestTimeoutMs', '', TIMEOUT_RANGE_MS[0], TIMEOUT_RANGE_MS[1], 'ms') ?? CONFIG_DEFAULTS.requestTimeoutMs;
  const minInterval = simulator ? 1 : MIN_STATUS_INTERVAL_MINUTES;
  const statusIntervalMinutes = read.integer(input, 'statusIntervalMinutes', '', minInterval, 24 * 60, 'minutes') ?? CONFIG_DEFAULTS.statusIntervalMinutes;
  const lowAuxBatteryPercent = read.integer(input, 'lowAuxBatteryPercent', '', 0, 100, 'percent') ?? CONFIG_DEFAULTS.lowAuxBatteryPercent;
  const wakeUpsPerMonth = read.integer(input, 'wakeUpsPerMonth', '', 1, 1000, 'wake-ups') ?? CONFIG_DEFAULTS.wakeUpsPerMonth;

  if (problems.items.length > 0) return { ok: false, problems: problems.items };

  const config: ResolvedAccountConfig = {
    flavour,
    baseUrl,
    clientId: clientId ?? 'simulator',
    webhook,
    vehicles,
    requestTimeoutMs,
    statusIntervalMinutes,
    lowAuxBatteryPercent,
    wakeUpsPerMonth,
    simulator,
  };
  if (fleetId !== undefined) config.fleetId = fleetId;
  if (brand !== undefined) config.brand = brand;
  if (realm !== undefined) config.realm = realm;
  if (oauthUrl !== undefined) config.oauthUrl = oauthUrl;
  if (typeof clientSecret === 'string' && clientSecret !== '') config.clientSecret = clientSecret;
  if (username !== undefined) config.username = username;
  if (password !== undefined) config.password = password;
  if (redirectUri !== undefined) config.redirectUri = redirectUri;
  if (certificate !== undefined) config.certificate = certificate;
  return { ok: true, config };
}
