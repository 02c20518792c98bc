'use strict';
/**
 * The car as the plugin last knew it, read from the files the engine keeps in the storage folder
 * (last states, remote history, remotes in flight, wake-ups, callback and monitors). Never an API
 * call: opening the settings costs no quota and wakes no car.
 */
const fs = require('node:fs/promises');
const { storageFile } = require('../dist/src/engine/storageFiles');
const { MONITOR_DEFINITIONS } = require('../dist/src/engine/monitors');
const { DEFAULT_WAKE_UP_GUARD, WakeUpGuard } = require('../dist/src/remotes/wakeUpGuard');
const { CONFIG_DEFAULTS } = require('../dist/src/config/resolved');
const { explainFailureIn, explainPendingIn } = require('../dist/src/remotes/explanations/index');
const { describeAction } = require('../dist/src/vocabulary/actionPhrases');

function isObject(v) {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A storage file's JSON and when it was written; undefined when absent or unreadable. */
async function readStored(file) {
  try {
    const [text, stat] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
    const value = JSON.parse(text);
    return isObject(value) ? { value, writtenAt: stat.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

const pick = (obj, keys) => {
  if (!isObject(obj)) return undefined;
  const out = {};
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  return out;
};

/** The parts of a stored state the page draws (each with its `at`). */
function stateView(s) {
  if (!isObject(s)) return {};
  const position = isObject(s.position) && Number.isFinite(s.position.lat) && Number.isFinite(s.position.lon)
    ? { ...pick(s.position, ['lat', 'lon', 'at']), map: `https://www.openstreetmap.org/?mlat=${s.position.lat}&mlon=${s.position.lon}#map=16/${s.position.lat}/${s.position.lon}` }
    : undefined;
  return {
    updatedAt: typeof s.updatedAt === 'string' ? s.updatedAt : undefined,
    doors: pick(s.doors, ['lock', 'openDoors', 'open', 'at']),
    battery: pick(s.battery, ['level', 'rangeKm', 'at']),
    fuel: pick(s.fuel, ['level', 'rangeKm', 'at']),
    charging: pick(s.charging, ['plugged', 'status', 'mode', 'remainingMinutes', 'at']),
    preconditioning: pick(s.preconditioning, ['on', 'status', 'at']),
    battery12v: pick(s.battery12v, ['level', 'at']),
    odometer: pick(s.odometer, ['km', 'at']),
    position,
  };
}

/** The page's key of an action's name: 'lock', 'charge.on'… (the page has its words for each). */
function actionId(action) {
  if (!isObject(action) || typeof action.kind !== 'string') return undefined;
  return typeof action.on === 'boolean' ? `${action.kind}.${action.on ? 'on' : 'off'}` : action.kind;
}

/**
 * One ended remote: what, how it ended, its steps, and the failure in plain words, in the page's
 * language `lang` (a pending step gets its status in those words too: `pendingText`).
 */
function remoteView(e, lang) {
  const failed = e.end.result === 'Failed';
  const cause = failed ? explainFailureIn(lang, typeof e.end.failureCause === 'string' ? e.end.failureCause : undefined) : undefined;
  return {
    what: describeAction(e.action),
    result: e.end.result,
    at: e.end.at,
    failureCause: typeof e.end.failureCause === 'string' ? e.end.failureCause : undefined,
    why: cause ? cause.text : e.end.explanation,
    whatToDo: cause ? cause.whatToDo : undefined,
    whatId: actionId(e.action),
    steps: (Array.isArray(e.steps) ? e.steps : []).map((s) => ({
      ...pick(s, ['phase', 'pendingStatus', 'text', 'at']),
      ...(isObject(s) && s.phase === 'pending' && typeof s.pendingStatus === 'string' ? { pendingText: explainPendingIn(lang, s.pendingStatus).text } : {}),
    })),
  };
}

function wakeUpView(vehicleId, raw, guard, now) {
  const { max, windowMs } = DEFAULT_WAKE_UP_GUARD;
  const recent = isObject(raw) && Array.isArray(raw.recent) ? raw.recent.filter((t) => typeof t === 'number' && t > now - windowMs) : [];
  const verdict = guard.check(vehicleId);
  const month = guard.budgetOf(vehicleId);
  return {
    // This calendar month against the assumed cap (as far as we can tell: other apps' wake-ups are not seen).
    month: { used: month.used, left: month.left, assumedCap: month.assumedCap, blockedUntil: month.blockedUntil },
    used: recent.length,
    max,
    windowMinutes: Math.round(windowMs / 60_000),
    monthlyCapUntil: verdict.allowed === false && verdict.reason === 'monthly-cap' ? verdict.until : undefined,
    blocked: verdict.allowed ? undefined : verdict.explanation,
  };
}

/**
 * @param {string} storageDir `<storagePath>/stellantis`
 * @param {string} accountKey the account's file key (accountKeyOf)
 * @param {Array<{ id: string, name?: string }>} configured the vehicles of the settings
 * @param {string} [lang] the page's language ('fr', 'de'…; English by default)
 * @param {number} [wakeUpsPerMonth] the account's assumed monthly wake-up cap
 */
async function carView(storageDir, accountKey, configured, lang, wakeUpsPerMonth = CONFIG_DEFAULTS.wakeUpsPerMonth) {
  const file = (kind) => storageFile(storageDir, kind, accountKey);
  const [states, history, inFlight, wakeUps, callback] = await Promise.all(
    ['vehicle-states', 'remote-history', 'remotes-in-flight', 'wake-ups', 'callback'].map((kind) => readStored(file(kind))),
  );
  const now = Date.now();
  const guard = new WakeUpGuard({ ...DEFAULT_WAKE_UP_GUARD, perMonth: wakeUpsPerMonth, path: file('wake-ups') });
  await guard.load();

  const stateOf = isObject(states?.value.vehicles) ? states.value.vehicles : {};
  const historyOf = isObject(history?.value.vehicles) ? history.value.vehicles : {};
  const wakeUpsOf = isObject(wakeUps?.value.vehicles) ? wakeUps.value.vehicles : {};
  const flying = Array.isArray(inFlight?.value.remotes) ? inFlight.value.remotes.filter((r) => isObject(r) && isObject(r.action)) : [];
  const monitors = isObject(callback?.value.monitors) ? Object.values(callback.value.monitors).filter(isObject) : [];
  const monitorTitle = new Map(MONITOR_DEFINITIONS.map((d) => [d.key, d.data]));

  const ids = [...new Set([...configured.map((v) => v.id), ...Object.keys(stateOf), ...Object.keys(historyOf)])];
  const vehicles = ids.map((id) => {
    const ended = Array.isArray(historyOf[id]) ? historyOf[id].filter((e) => isObject(e) && isObject(e.end) && isObject(e.action)) : [];
    return {
      id,
      name: configured.find((v) => v.id === id)?.name,
      configured: configured.some((v) => v.id === id),
      state: stateView(stateOf[id]),
      remotes: ended.map((e) => remoteView(e, lang)),
      inFlight: flying.filter((r) => r.vehicleId === id).map((r) => ({ what: describeAction(r.action), whatId: actionId(r.action), sentAt: r.sentAt, sent: typeof r.remoteActionId === 'string' })),
      monitors: monitors.filter((m) => m.vehicleId === id).map((m) => ({ key: m.key, data: monitorTitle.get(m.key) })),
      wakeUps: wakeUpView(id, wakeUpsOf[id], guard, now),
    };
  });
  return {
    now,
    statesWrittenAt: states?.writtenAt,
    callback: typeof callback?.value.callbackId === 'string' ? { id: callback.value.callbackId, target: callback.value.target } : undefined,
    vehicles,
  };
}

module.exports = { carView };
