'use strict';
/**
 * What the custom settings page asks the server for: the wizard's prerequisites (and a PEM upload,
 * and the public address check), login (authorization URL, then the pasted
 * redirect exchanged and the tokens stored), the account's vehicles, the doctor's checks, and the
 * car view (read from the storage files, never from the API).
 * Plain CommonJS over the compiled package (`../dist/src`). Every request carries the platform
 * block as currently edited in the page (saved or not), so the user never has to save first.
 *
 * Tokens go where the platform reads them: `<storagePath>/stellantis/`, one file per account
 * (the core's accountTokenStore), mode 0600 — never into config.json. The login itself is the core's
 * login session (src/login), as in the Node-RED editor and the CLI.
 */
const fsp = require('node:fs/promises');
const path = require('node:path');
const { validateAccountConfig } = require('../dist/src/config/validate');
const { HOMEBRIDGE_ONLY_KEYS } = require('../dist/src/homebridge/platformConfig');
const { STORAGE_SUBDIR } = require('../dist/src/homebridge/settings');
const { BRAND_INFO } = require('../dist/src/stellantis/brands');
const { createAccountClient } = require('../dist/src/engine/clients');
const { LoginSession, NoLoginInProgressError, accountTokenStore, finishLogin, oauthSettingsOf } = require('../dist/src/login');
const { LoginExpiredError, NotLoggedInError } = require('../dist/src/stellantis/errors');
const { accountKeyOf } = require('../dist/src/engine/storageFiles');
const { carView } = require('./carView');
const { storeUploadedPem, UploadError } = require('./certificateUpload');
const { checkPublicUrl, forPageSimulator, prerequisites, whereOf } = require('./setupSteps');

/** Problems that do not stop a login (the login needs only the account and OAuth settings). */
const NOT_NEEDED_FOR_LOGIN = /^(certificate|webhook|vehicles|requestTimeoutMs|statusIntervalMinutes)(\.|\[|$)/;

/** An error the page shows as is: plain words, with the config key it is about when there is one. */
class UiError extends Error {
  constructor(message, details = {}) {
    super(message);
    this.name = 'UiError';
    this.details = details;
  }
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The platform block minus Homebridge's own keys: the shared account configuration. */
function accountInput(platformConfig) {
  if (!isObject(platformConfig)) throw new UiError('the plugin settings are missing: reload this page');
  const out = {};
  for (const [key, value] of Object.entries(platformConfig)) {
    if (!HOMEBRIDGE_ONLY_KEYS.includes(key)) out[key] = value;
  }
  return out;
}

/** Every secret a config holds, to be blanked out of anything shown. */
function secretsOf(input) {
  const found = [];
  const add = (v) => {
    if (typeof v === 'string' && v.length >= 4) found.push(v);
  };
  if (isObject(input)) {
    add(input.clientSecret);
    add(input.password);
    if (isObject(input.certificate)) add(input.certificate.passphrase);
    if (isObject(input.webhook)) add(input.webhook.secret);
  }
  return found;
}

function scrub(text, secrets) {
  let out = String(text);
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}

/** The core's messages point at the CLI (`stellantis login`); here the login is on this page. */
function pageWords(err) {
  if (err instanceof NotLoggedInError) return 'Not logged in yet: log in with the step “Log in” above first.';
  if (err instanceof LoginExpiredError) return 'The stored login was refused (expired or revoked): log in again with the step “Log in” above.';
  return err instanceof Error ? err.message : String(err);
}

function problemsError(intro, problems) {
  const lines = problems.map((p) => `• ${p.key}: ${p.message}\n  → type it in ${whereOf(p.key)}`);
  return new UiError(`${intro}\n${lines.join('\n')}`, { problems });
}

class StellantisUiActions {
  /**
   * @param {{ storagePath: string, startSimulator?: (opts: object) => Promise<object> }} options
   *   storagePath: Homebridge's storage folder. startSimulator: how to start a simulator for
   *   `simulator: true` without explicit URLs (defaults to the package's own).
   */
  constructor(options) {
    if (!options || typeof options.storagePath !== 'string' || options.storagePath === '') {
      throw new Error('the Homebridge storage path is unknown (HOMEBRIDGE_STORAGE_PATH is not set)');
    }
    this.storagePath = options.storagePath;
    this.storageDir = path.join(options.storagePath, STORAGE_SUBDIR);
    this.startSimulator = options.startSimulator;
    this.pending = undefined;
    this.sim = undefined;
  }

  /** Route name → handler, for HomebridgePluginUiServer.onRequest. */
  routes() {
    return {
      '/setup': (body) => this.guard(body, () => this.setup(body)),
      '/login/start': (body) => this.guard(body, () => this.loginStart(body)),
      '/login/finish': (body) => this.guard(body, () => this.loginFinish(body)),
      '/logout': (body) => this.guard(body, () => this.logout(body)),
      '/vehicles': (body) => this.guard(body, () => this.vehicles(body)),
      '/doctor': (body) => this.guard(body, () => this.doctor(body)),
      '/prerequisites': (body) => this.guard(body, async () => prerequisites(accountInput(body.config), this.storagePath)),
      '/certificate/upload': (body) => this.guard(body, () => this.uploadCertificate(body)),
      '/public-url/check': (body) => this.guard(body, () => checkPublicUrl(accountInput(body.config), this.storageDir, this.storagePath)),
      '/car': (body) => this.guard(body, () => this.car(body)),
      '/docs/api-access': async () => ({ text: await fsp.readFile(path.join(__dirname, '../docs/api-access.md'), 'utf8').catch(() => 'docs/api-access.md is not in this installation: see the README.') }),
    };
  }

  /** Runs an action; whatever goes wrong comes back as a UiError with no secret in it. */
  async guard(body, action) {
    const secrets = secretsOf(isObject(body) ? body.config : undefined);
    try {
      return await action();
    } catch (err) {
      const message = pageWords(err);
      const details = err instanceof UiError ? err.details : {};
      throw new UiError(scrub(message, secrets), JSON.parse(scrub(JSON.stringify(details), secrets)));
    }
  }

  async stop() {
    const sim = this.sim;
    this.sim = undefined;
    if (sim) await (await sim).stop();
  }

  /**
   * The resolved account for logging in. Settings the login does not use (certificate, webhook,
   * vehicles) may still be incomplete: the second validation, as a simulator, only fills the
   * defaults (realm, oauthUrl from the brand) the same way, so the account key is the one the
   * platform will compute once everything is filled.
   */
  async loginAccount(platformConfig) {
    const input = accountInput(platformConfig);
    let result = validateAccountConfig(input, { checkFiles: false, baseDir: this.storagePath });
    if (!result.ok) {
      const blocking = result.problems.filter((p) => !NOT_NEEDED_FOR_LOGIN.test(p.key));
      if (blocking.length > 0) throw problemsError('Fix these settings before logging in:', blocking);
      result = validateAccountConfig({ ...input, simulator: true }, { checkFiles: false, baseDir: this.storagePath });
      if (!result.ok) throw problemsError('Fix these settings before logging in:', result.problems);
      result.config.simulator = input.simulator === true;
    }
    const config = await this.withLocalSimulator(input, result.config);
    if (config.flavour === 'b2b') {
      throw new UiError('A fleet (b2b) account does not log in here: it signs in with the username and password of the settings', { key: 'flavour' });
    }
    if (!config.redirectUri) throw new UiError('redirectUri: missing; set the redirect URI registered with your application (Account section)', { key: 'redirectUri' });
    if (!config.clientSecret) throw new UiError('clientSecret: missing; copy it from the Stellantis developer portal (Account section)', { key: 'clientSecret' });
    if (!config.oauthUrl) throw new UiError('brand: missing; choose the brand of your car', { key: 'brand' });
    return config;
  }

  /** The fully valid account (what the platform would run with), for the API calls. */
  async fullAccount(platformConfig) {
    const input = accountInput(platformConfig);
    const result = validateAccountConfig(input, { checkFiles: true, baseDir: this.storagePath });
    if (!result.ok) throw problemsError('Fix these settings first:', result.problems);
    return this.withLocalSimulator(input, result.config);
  }

  /**
   * `simulator: true` without an oauthUrl: the page logs in to a simulator started here, so the
   * walk-through works with no Stellantis account. With an oauthUrl (a running `stellantis simulate`),
   * that one is used as configured.
   */
  async withLocalSimulator(input, config) {
    if (!config.simulator || input.oauthUrl !== undefined) return config;
    const simulator = require('../dist/src/simulator');
    if (!this.sim) {
      const start = this.startSimulator ?? simulator.startSimulator;
      this.sim = start({ host: '127.0.0.1', port: 0 });
      this.sim.catch(() => {
        this.sim = undefined;
      });
    }
    const patched = { ...config, ...simulator.simulatedAccountConfig(await this.sim, config.flavour) };
    delete patched.certificate;
    return patched;
  }

  tokenStore(config) {
    return accountTokenStore(config, this.storageDir);
  }

  async loginStatus(config) {
    if (config.flavour === 'b2b') return { needed: false };
    const store = this.tokenStore(config);
    const tokens = await store.load();
    if (!tokens) return { needed: true, loggedIn: false, problem: store.problem, tokenFile: store.file };
    return { needed: true, loggedIn: true, tokenFile: store.file, savedAt: tokens.savedAt };
  }

  async setup(body) {
    const brands = Object.entries(BRAND_INFO).map(([id, info]) => ({ id, name: info.manufacturer }));
    const base = { brands, storageDir: this.storageDir };
    let config;
    try {
      config = await this.loginAccount(body.config);
    } catch (err) {
      return { ...base, login: { needed: true, loggedIn: false, blockedBy: scrub(pageWords(err), secretsOf(body.config)) } };
    }
    return { ...base, login: await this.loginStatus(config), simulator: config.simulator };
  }

  async loginStart(body) {
    const config = await this.loginAccount(body.config);
    this.pending = LoginSession.start({ oauthUrl: config.oauthUrl, clientId: config.clientId, redirectUri: config.redirectUri });
    return { url: this.pending.url, redirectUri: config.redirectUri };
  }

  async loginFinish(body) {
    const pasted = typeof body.pasted === 'string' ? body.pasted : '';
    const config = await this.loginAccount(body.config);
    const exchange = { oauth: oauthSettingsOf(config), redirectUri: config.redirectUri, store: this.tokenStore(config) };
    try {
      await finishLogin(this.pending, pasted, exchange, { acceptBareCode: true });
    } catch (err) {
      if (err instanceof NoLoginInProgressError) throw new UiError('This login was started too long ago (or this page was reloaded): press “Open the login page” again');
      throw err;
    }
    this.pending = undefined;
    return this.loginStatus(config);
  }

  async logout(body) {
    const config = await this.loginAccount(body.config);
    await this.tokenStore(config).clear();
    return this.loginStatus(config);
  }

  async vehicles(body) {
    const input = accountInput(body.config);
    const config = await this.fullAccount(body.config);
    const client = createAccountClient(config, { store: this.tokenStore(config), baseDir: this.storagePath });
    try {
      const list = await client.listVehicles();
      const configured = Array.isArray(input.vehicles) ? input.vehicles : [];
      return {
        vehicles: list.map((v) => ({
          id: v.id,
          vin: typeof v.vin === 'string' ? v.vin : undefined,
          label: [v.brand, v.label].filter((s) => typeof s === 'string' && s !== '').join(' ') || undefined,
          motorization: typeof v.motorization === 'string' ? v.motorization : undefined,
          configured: configured.some((c) => isObject(c) && c.id === v.id),
        })),
      };
    } finally {
      client.close();
    }
  }

  async doctor(body) {
    const input = accountInput(body.config);
    let doctor;
    try {
      doctor = require('../dist/src/doctor');
    } catch {
      throw new UiError('The connection test is not available in this installation (doctor module missing): update the plugin');
    }
    let config = input;
    if (input.simulator === true && input.oauthUrl === undefined) {
      const resolved = validateAccountConfig(input, { checkFiles: false, baseDir: this.storagePath });
      if (resolved.ok) config = await this.withLocalSimulator(input, resolved.config);
    }
    const report = await doctor.runDoctor(config, { storageDir: this.storageDir, baseDir: this.storagePath });
    return config !== input ? forPageSimulator(report) : report;
  }

  async uploadCertificate(body) {
    try {
      return await storeUploadedPem(this.storageDir, body.role, body.pem, body.fileName);
    } catch (err) {
      if (err instanceof UploadError) throw new UiError(err.message, { key: err.key });
      throw err;
    }
  }

  /**
   * What the plugin stored about each car (files of this account's key): no API call. The key is
   * the one the platform computes; for `simulator: true` that of its built-in simulator's account.
   */
  async car(body) {
    const input = accountInput(body.config);
    let result = validateAccountConfig(input, { checkFiles: false, baseDir: this.storagePath });
    if (!result.ok) result = validateAccountConfig({ ...input, simulator: true }, { checkFiles: false, baseDir: this.storagePath });
    if (!result.ok) throw problemsError('The car view needs these settings first:', result.problems);
    const config = await this.withLocalSimulator(input, result.config);
    const configured = (Array.isArray(input.vehicles) ? input.vehicles : []).filter((v) => isObject(v) && typeof v.id === 'string');
    return carView(this.storageDir, accountKeyOf(config), configured.map((v) => ({ id: v.id, name: typeof v.name === 'string' ? v.name : undefined })), typeof body.lang === 'string' ? body.lang : undefined, config.wakeUpsPerMonth);
  }
}

module.exports = { StellantisUiActions, UiError, secretsOf, scrub };
