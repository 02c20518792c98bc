'use strict';
/**
 * The wizard's prerequisites, in the order an owner meets them: API access, the application's
 * credentials, the client certificate, the public webhook address. For each: done or not, what is
 * missing (the core validation's own words, by config key) and where on the page to type it.
 * Nothing here calls Stellantis; the public address check only calls our own listener.
 */
const { validateAccountConfig } = require('../dist/src/config/validate');
const { loadClientTls, TlsConfigError } = require('../dist/src/stellantis/tls');
const { DOCTOR_CHECKS } = require('../dist/src/doctor');

/** Where each setting is typed on the page (the field ids of public/index.html). */
const WHERE = {
  brand: 'step “Brand”: pick it in the list',
  clientId: 'step “Application”: the “Client id” field',
  clientSecret: 'step “Application”: the “Client secret” field',
  redirectUri: 'step “Application”: the “Redirect URI” field',
  certificate: 'step “Certificate”: type the paths of the PEM files or upload them',
  'webhook.publicUrl': 'step “Public address”: the “Public URL” field',
  vehicles: 'step “Vehicles”: “Get my vehicles”, tick and save',
};

const STEP_OF_KEY = [
  [/^(brand|oauthUrl|realm)(\.|$)/, 'brand'],
  [/^(clientId|clientSecret|redirectUri)(\.|$)/, 'application'],
  [/^certificate(\.|$)/, 'certificate'],
  [/^webhook(\.|$)/, 'publicUrl'],
  [/^vehicles(\.|\[|$)/, 'vehicles'],
];

/** The WHERE entry of a key ('other' when none): the page shows its own words for it (where.<id>). */
function whereIdOf(key) {
  if (WHERE[key]) return key;
  return Object.keys(WHERE).find((k) => key.startsWith(`${k}.`) || key.startsWith(`${k}[`)) ?? 'other';
}

function whereOf(key) {
  const id = whereIdOf(key);
  return id === 'other' ? '“Show all settings” (top right), section of that key' : WHERE[id];
}

function stepOf(key) {
  const found = STEP_OF_KEY.find(([re]) => re.test(key));
  return found ? found[1] : 'other';
}

/**
 * @param {object} input the account configuration (platform block minus Homebridge's keys)
 * @param {string} storagePath Homebridge's storage folder (relative certificate paths start there)
 * @returns {{ simulator: boolean, steps: Record<string, { done: boolean, notNeeded?: string, notNeededId?: string, missing: Array<{ key: string, message: string, where: string, whereId: string }>, summary?: string, summaryId?: string }> }}
 *   (the ...Id fields name the page's own words for the English texts beside them)
 */
function prerequisites(input, storagePath) {
  const simulator = input.simulator === true;
  const result = validateAccountConfig(input, { checkFiles: true, baseDir: storagePath, requireWebhook: !simulator });
  const problems = result.ok ? [] : result.problems;
  const steps = {};
  for (const id of ['brand', 'application', 'certificate', 'publicUrl', 'other']) steps[id] = { done: true, missing: [] };
  for (const p of problems) {
    const step = steps[stepOf(p.key)];
    if (!step) continue; // vehicles: their own step, after the login
    step.done = false;
    step.missing.push({ key: p.key, message: p.message, where: whereOf(p.key), whereId: whereIdOf(p.key) });
  }
  if (!simulator && input.flavour !== 'b2b' && isBlank(input.redirectUri)) {
    steps.application.done = false;
    steps.application.missing.push({ key: 'redirectUri', message: 'missing; the redirect URI registered with your application (the login comes back to it)', where: WHERE.redirectUri, whereId: 'redirectUri' });
  }
  if (simulator) {
    const none = 'not needed with the simulator';
    steps.application = { done: true, missing: [], notNeeded: `${none}: it has its own demo application`, notNeededId: 'application' };
    steps.certificate = { done: true, missing: [], notNeeded: `${none}: it needs no client certificate`, notNeededId: 'certificate' };
    if (steps.publicUrl.done) {
      steps.publicUrl = { done: true, missing: [], notNeeded: `${none}: it delivers notifications to the listener inside Homebridge directly`, notNeededId: 'publicUrl' };
    }
  } else if (steps.certificate.done && isObject(input.certificate)) {
    try {
      loadClientTls(input.certificate, storagePath);
      steps.certificate.summary = 'the certificate and its key are readable and belong together';
      steps.certificate.summaryId = 'certificateOk';
    } catch (err) {
      const key = err instanceof TlsConfigError ? err.key : 'certificate.cert';
      const message = err instanceof TlsConfigError ? err.message.slice(key.length + 2) : String(err);
      steps.certificate = { done: false, missing: [{ key, message, where: WHERE.certificate, whereId: 'certificate' }] };
    }
  }
  return { simulator, steps };
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBlank(value) {
  return typeof value !== 'string' || value.trim() === '';
}

/**
 * The doctor's own checks of the public address, without its API checks (no call to Stellantis):
 * the configuration, then GET <publicUrl>/health and an authenticated test message through it.
 */
async function checkPublicUrl(input, storageDir, storagePath) {
  const ctx = { opts: { storageDir, baseDir: storagePath }, input, secrets: new Set(), calls: { token: 0, api: 0, listener: 0 }, now: Date.now };
  const results = [];
  for (const id of ['config', 'listener']) {
    const def = DOCTOR_CHECKS.find((d) => d.id === id);
    const outcome = await def.run(ctx);
    results.push({ id, title: def.title, ...outcome });
    if (outcome.ok === false) break;
  }
  const scrub = (text) => [...ctx.secrets].reduce((t, s) => (s ? t.split(s).join('***') : t), String(text ?? ''));
  return { checks: results.map((c) => ({ ...c, detail: scrub(c.detail), ...(c.fix ? { fix: scrub(c.fix) } : {}) })), calls: ctx.calls };
}

/**
 * The page's own simulator is not the one Homebridge runs: the callback and listener checks are
 * about Homebridge's, which registers its callback and takes its notifications on loopback by itself.
 */
function forPageSimulator(report) {
  const notNeeded = 'not needed with the built-in simulator: when Homebridge runs it, its simulator registers the callback and delivers to the listener inside Homebridge (no public address)';
  const checks = report.checks.map((c) => (c.id === 'callback' || c.id === 'listener' ? { id: c.id, title: c.title, ok: 'skipped', detail: notNeeded } : c));
  const ok = checks.every((c) => c.ok !== false);
  return { ...report, checks, ok, exitCode: ok ? 0 : 1 };
}

module.exports = { prerequisites, checkPublicUrl, forPageSimulator, whereOf };
