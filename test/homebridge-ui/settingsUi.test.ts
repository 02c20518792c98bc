/**
 * The plugin's custom settings page in the REAL Homebridge UI (homebridge-config-ui-x), driven by
 * Chromium: OAuth login against the simulator's login page, tokens stored where the platform reads
 * them, vehicle picker saved into config.json, and the connection test.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Browser, type BrowserContext, chromium, type FrameLocator, type Page } from 'playwright-core';
import { validateAccountConfig } from '../../src/config/validate';
import { accountKeyOf } from '../../src/engine/storageFiles';
import { STORAGE_SUBDIR } from '../../src/homebridge/settings';
import { type RunningSimulator, startSimulator } from '../../src/simulator';
import { FileTokenStore } from '../../src/stellantis/tokenStore';
import { StellantisAccount } from '../../src/engine/stellantisAccount';
import type { VehicleState } from '../../src/stellantis/vehicleState';
import { explainFailure } from '../../src/remotes/explanations';
import { PROJECT_ROOT, type RealUi, startRealUi } from './realUi';
import { simulatorPlatformBlock, sleep } from '../helpers/simulator';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');

function readPlatformBlock(configPath: string): Record<string, unknown> {
  const config = JSON.parse(fs.readFileSync(configPath, 'utf8')) as { platforms: Array<Record<string, unknown>> };
  const block = config.platforms.find((p) => p.platform === 'Stellantis');
  assert.ok(block, 'the Stellantis block is still in config.json');
  return block;
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function untilAsync(what: string, probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('Homebridge settings UI (real homebridge-config-ui-x + Chromium)', function () {
  this.timeout(120_000);
  let sim: RunningSimulator;
  let ui: RealUi;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let frame: FrameLocator;
  let platformBlock: Record<string, unknown>;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium package (apt-get install -y chromium)`);
    sim = await startSimulator({ timeScale: 0.01 });
    platformBlock = simulatorPlatformBlock(sim);
    ui = await startRealUi(platformBlock);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 2200 } });
    page = await context.newPage();
  });

  after(async function () {
    if (page && !page.isClosed()) {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'homebridge-ui-settings.png'), fullPage: true }).catch(() => undefined);
    }
    await browser?.close();
    await ui?.stop();
    await sim?.stop();
  });

  it('opens the plugin settings page in the Homebridge UI', async () => {
    await page.goto(`${ui.url}/plugins`);
    await page.locator('[aria-label="Plugin Actions Dropdown"]').first().click();
    await page.getByRole('button', { name: 'Plugin Config' }).click();
    frame = page.frameLocator('iframe[src*="settings-ui"]');
    await frame.locator('#login-status').filter({ hasText: 'Not logged in' }).waitFor({ timeout: 20_000 });
    assert.equal(await frame.locator('#brand').inputValue(), 'peugeot');
  });

  it('says in plain words what is wrong with a pasted address before any login', async () => {
    await frame.locator('#login-start').click();
    await frame.locator('#login-steps').waitFor({ state: 'visible' });
    await frame.locator('#redirect-input').fill(`${sim.account.redirectUri}?error=access_denied&error_description=User+cancelled`);
    await frame.locator('#login-finish').click();
    const error = frame.locator('#error-text');
    await error.filter({ hasText: 'refused the login' }).waitFor();
    assert.match(await error.innerText(), /access_denied \(User cancelled\)/);
    assert.ok(!(await frame.locator('body').innerText()).includes(sim.account.clientSecret), 'the client secret is never shown');
  });

  it('logs in through the login page in a new tab and stores the tokens under the storage path, mode 0600', async () => {
    await frame.locator('#login-start').click();
    const link = frame.locator('#login-link');
    const href = await link.getAttribute('href');
    assert.ok(href?.startsWith(`${sim.oauthUrl}/authorize?`), `authorization URL ${href}`);
    const [loginTab] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await loginTab.getByRole('button', { name: 'Log in' }).click();
    await loginTab.waitForURL((u) => u.toString().startsWith(sim.account.redirectUri));
    const redirected = loginTab.url();
    assert.match(redirected, /[?&]code=/);
    await loginTab.close();

    await frame.locator('#redirect-input').fill(redirected);
    await frame.locator('#login-finish').click();
    await frame.locator('#login-status').filter({ hasText: /^✔ Logged in/ }).waitFor();
    assert.ok(await frame.locator('#error').evaluate((el) => el.classList.contains('d-none')), 'no error shown');

    // Where the platform reads them: <storagePath>/stellantis, the file of this account's key.
    const resolved = validateAccountConfig(platformBlock, { checkFiles: false });
    assert.ok(resolved.ok);
    const store = new FileTokenStore(path.join(ui.storagePath, STORAGE_SUBDIR), accountKeyOf(resolved.config));
    const tokens = await store.load();
    assert.ok(tokens?.refreshToken && tokens.accessToken, 'tokens stored');
    assert.equal(fs.statSync(store.file).mode & 0o777, 0o600);
    assert.ok((await frame.locator('#login-status').innerText()).includes(store.file));
    const configText = fs.readFileSync(ui.configPath, 'utf8');
    assert.ok(!configText.includes(tokens.refreshToken) && !configText.includes(tokens.accessToken), 'no token in config.json');
  });

  it('lists the account vehicles (one API call) and saves the ticked one into the platform config', async () => {
    const before = sim.callCount({ method: 'GET', pathIncludes: '/user/vehicles' });
    await frame.locator('#vehicles-load').click();
    const boxes = frame.locator('input.vehicle-choice');
    await boxes.first().waitFor();
    assert.equal(await boxes.count(), sim.vehicles.length);
    assert.equal(sim.callCount({ method: 'GET', pathIncludes: '/user/vehicles' }) - before, 1);
    const chosen = sim.vehicles[0];
    await frame.locator(`input.vehicle-choice[value="${chosen.id}"]`).check();
    await frame.locator('#vehicles-save').click();
    await frame.locator('#vehicles-status').filter({ hasText: 'Saved 1 vehicle' }).waitFor();

    const saved = await until('config.json to hold the vehicle', () => {
      const block = readPlatformBlock(ui.configPath);
      return Array.isArray(block.vehicles) && block.vehicles.length > 0 ? block : undefined;
    });
    const vehicles = saved.vehicles as Array<Record<string, unknown>>;
    assert.deepEqual(vehicles.map((v) => v.id), [chosen.id]);
    assert.equal(typeof vehicles[0].name, 'string');
    assert.equal(saved.clientSecret, sim.account.clientSecret, 'the rest of the block is kept');
    assert.equal(saved.refreshToken, undefined);
  });

  it('runs the doctor from "Test connection" and shows ✔/✖ per check with fixes', async () => {
    await frame.locator('#doctor-run').click();
    const items = frame.locator('#doctor-results li');
    await items.first().waitFor({ timeout: 30_000 });
    const byId = async (id: string): Promise<string> => frame.locator(`#doctor-results li[data-check="${id}"]`).innerText();
    assert.match(await byId('config'), /^✔/);
    assert.match(await byId('token'), /^✔/);
    assert.match(await byId('api'), /^✔/);
    assert.match(await byId('vehicles'), /^✔/);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await frame.locator('#stellantis-ui').screenshot({ path: path.join(ARTIFACTS, 'homebridge-ui-doctor.png') });
    const text = await frame.locator('#step-test').innerText();
    // No callback yet (Homebridge has not run) and no public URL: failed checks, each with its fix.
    assert.match(await byId('callback'), /^✖[\s\S]*\nFix: /);
    const failed = frame.locator('#doctor-results li.check-fail');
    assert.ok((await failed.count()) >= 1);
    assert.equal(await frame.locator('#doctor-results li.check-fail .fix').count(), await failed.count());
    assert.match(await frame.locator('#doctor-summary').innerText(), /^✖ Some checks failed/);
    assert.ok(!text.includes(sim.account.clientSecret));
  });

  /** A real engine on the page's saved config and storage folder, for one piece of work, then stopped. */
  async function withPageAccount(what: (account: StellantisAccount) => Promise<void>): Promise<void> {
    const resolved = validateAccountConfig({ ...readPlatformBlock(ui.configPath), webhook: { host: '127.0.0.1', port: 0 } }, { checkFiles: false });
    assert.ok(resolved.ok, JSON.stringify(!resolved.ok && resolved.problems));
    const account = new StellantisAccount({
      config: resolved.config,
      storageDir: path.join(ui.storagePath, STORAGE_SUBDIR),
      logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
      webhook: { mode: 'listen' },
    });
    await account.start();
    try {
      await what(account);
    } finally {
      await account.stop();
    }
  }

  it('shows the car as a real engine run stored it (state with ages, remotes with steps and causes, monitors, wake-ups), asking nothing of the simulator', async () => {
    const chosen = sim.vehicles[0];
    let stored: VehicleState | undefined;
    await withPageAccount(async (account) => {
      sim.control.setVehicle(chosen.id, { locked: false, doorsOpen: true });
      assert.equal((await account.send(chosen.id, { kind: 'lock' }).done).failureCause, 'DoorsOpen');
      sim.control.setVehicle(chosen.id, { doorsOpen: false });
      assert.equal((await account.send(chosen.id, { kind: 'lock' }).done).result, 'Success');
      stored = account.stateOf(chosen.id);
    });
    assert.ok(stored?.position, 'the engine stored a position');

    const calls = sim.calls.length;
    await frame.locator('#car-refresh').click();
    const card = frame.locator(`.car-card[data-vehicle="${chosen.id}"]`);
    await card.locator('li.remote-item').nth(1).waitFor();
    assert.match(await card.locator('[data-tile="Doors"]').innerText(), /Locked[\s\S]*ago/);
    assert.match(await card.locator('[data-tile="Battery"]').innerText(), /\d+ %[\s\S]*ago/);
    const map = await card.locator('[data-tile="Position"] a').getAttribute('href');
    assert.equal(map, `https://www.openstreetmap.org/?mlat=${stored.position.lat}&mlon=${stored.position.lon}#map=16/${stored.position.lat}/${stored.position.lon}`);
    const remotes = card.locator('li.remote-item');
    assert.deepEqual(await remotes.evaluateAll((els) => els.map((e) => e.getAttribute('data-result'))), ['Success', 'Failed']);
    const failed = await remotes.nth(1).innerText();
    assert.ok(failed.includes(`DoorsOpen: ${explainFailure('DoorsOpen').text}`), failed);
    assert.ok(failed.includes(explainFailure('DoorsOpen').whatToDo));
    await remotes.nth(1).locator('summary').click();
    assert.match(await remotes.nth(1).locator('ol.remote-steps').innerText(), /sending to Stellantis[\s\S]*accepted by Stellantis/);
    const monitors = await card.locator('.car-monitors [data-monitor]').evaluateAll((els) => els.map((e) => e.getAttribute('data-monitor')));
    assert.ok(monitors.includes('state'), `monitors shown: ${monitors.join(', ')}`);
    assert.equal(await card.locator('.car-wakeups').getAttribute('data-max'), '6');
    assert.equal(sim.calls.length, calls, 'the car view asked nothing of the simulator');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await frame.locator('#car-view').screenshot({ path: path.join(ARTIFACTS, 'homebridge-ui-car-view.png') });
  });

  it('shows this month\'s wake-ups per car against the assumed cap (wakeUpsPerMonth), then the cap reached, from the files alone', async () => {
    const chosen = sim.vehicles[0];
    const run = withPageAccount;
    const card = frame.locator(`.car-card[data-vehicle="${chosen.id}"]`);
    const month = card.locator('.car-wakeups-month');
    const before = Number(await month.getAttribute('data-used'));

    await run(async (account) => {
      assert.equal((await account.send(chosen.id, { kind: 'refresh' }).done).result, 'Success');
    });
    // The count comes from the engine's file, the cap from the page's settings (none set: the default).
    await frame.locator('#car-refresh').click();
    await untilAsync('the month count', async () => (await month.getAttribute('data-used')) === String(before + 1));
    assert.equal(await month.getAttribute('data-cap'), '20');
    assert.equal(await month.getAttribute('data-left'), String(20 - before - 1));
    assert.match(await month.innerText(), new RegExp(`This month: ${before + 1} used, about ${20 - before - 1} left \\(assumed cap 20\\)`));
    assert.match(await month.innerText(), /As far as we can tell: wake-ups by other apps \(MyPeugeot/);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await card.locator('.car-wakeups').screenshot({ path: path.join(ARTIFACTS, 'homebridge-ui-wake-ups.png') });

    await run(async (account) => {
      sim.control.setVehicle(chosen.id, { asleep: true, locked: false });
      sim.control.exhaustWakeUps(chosen.id);
      assert.equal((await account.send(chosen.id, { kind: 'lock' }).done).failureCause, 'TooManyWakeUpsOverMonth');
    });
    const calls = sim.calls.length;
    await frame.locator('#car-refresh').click();
    await untilAsync('the cap reached', async () => (await month.getAttribute('data-left')) === '0');
    const now = new Date();
    const next = new Date(now.getFullYear(), now.getMonth() + 1, 1).toLocaleDateString('en');
    const text = await month.innerText();
    assert.ok(text.includes(`none left: the car said its monthly cap is reached; no refresh before ${next}`), text);
    assert.ok(await month.evaluate((e) => e.classList.contains('check-fail')));
    assert.equal(sim.calls.length, calls, 'the car view asked nothing of the simulator');
    await card.locator('.car-wakeups').screenshot({ path: path.join(ARTIFACTS, 'homebridge-ui-wake-ups-blocked.png') });
  });

  it('keeps the normal settings form available', async () => {
    await frame.locator('#toggle-form').click();
    await frame.locator('#toggle-form').filter({ hasText: 'Hide all settings' }).waitFor();
    // The schema form is drawn by the Homebridge UI itself, outside the plugin's frame.
    await page.locator('form input, form select').first().waitFor({ state: 'visible' });
  });
});
