/**
 * "Show all settings" in the REAL Homebridge UI (homebridge-config-ui-x + Chromium): whatever the
 * order of show, hide and the modal's Save, config.json keeps exactly the keys and values it had
 * (keys the form has no field for included), and an edit in the form changes only its key.
 * Also what the form draws: number inputs for ports, timeouts and thresholds, every text whole.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Browser, chromium, type Frame, type FrameLocator, type Page } from 'playwright-core';
import { PROJECT_ROOT, type RealUi, startRealUi } from './realUi';
import { sleep } from '../helpers/simulator';
import { untilValue as until } from '../helpers/until';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');

/** A block with nested objects, arrays in arrays, explicit features and a key the form has no field for.
 * (No `_bridge` here: the standalone UI of the tests, without Homebridge installed, fails to save one.) */
const BLOCK = {
  platform: 'Stellantis',
  name: 'My car',
  simulator: true,
  brand: 'opel',
  clientId: 'my-client-id',
  webhook: { publicUrl: 'https://car.example.com/stellantis/webhook', port: 9000 },
  certificate: { cert: 'stellantis/client.crt', key: 'stellantis/client.key' },
  vehicles: [
    { id: 'VR3UHZKXZLT000001-0123456789abcdef0123456789abcdef', name: 'Car', features: { horn: false }, destinations: [{ name: 'Work', points: [{ lat: 48.85, lon: 2.35 }] }] },
    { id: 'VAN-2', name: 'Van' },
  ],
  notes: 'kept although the schema does not describe it',
};

function platformBlock(configPath: string): Record<string, unknown> | undefined {
  const config = JSON.parse(fs.readFileSync(configPath, 'utf8')) as { platforms: Array<Record<string, unknown>> };
  return config.platforms.find((p) => p.platform === 'Stellantis');
}

describe('Homebridge settings UI: "Show all settings" never changes config.json by itself (real UI + Chromium)', function () {
  this.timeout(120_000);
  let ui: RealUi;
  let browser: Browser;
  let page: Page;
  let frame: FrameLocator;
  let original: string;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium package (apt-get install -y chromium)`);
    ui = await startRealUi(BLOCK);
    original = fs.readFileSync(ui.configPath, 'utf8');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 4200 } })).newPage();
  });

  after(async function () {
    await browser?.close();
    await ui?.stop();
  });

  /** config.json as the test wrote it, and the plugin's settings opened afresh. */
  async function openSettings(): Promise<void> {
    fs.writeFileSync(ui.configPath, original);
    await page.goto(`${ui.url}/plugins`);
    await page.locator('[aria-label="Plugin Actions Dropdown"]').first().click();
    await page.getByRole('button', { name: 'Plugin Config' }).click();
    frame = page.frameLocator('iframe[src*="settings-ui"]');
    await frame.locator('#login-status').filter({ hasNotText: 'Checking' }).waitFor({ timeout: 20_000 });
  }

  function settingsFrame(): Frame {
    const found = page.frames().find((f) => f.url().includes('/plugins/settings-ui/'));
    assert.ok(found, 'the settings page frame');
    return found;
  }

  /** The block the modal's Save button would save now. */
  async function pendingBlock(): Promise<Record<string, unknown>> {
    const blocks = await settingsFrame().evaluate(() => (globalThis as unknown as { homebridge: { getPluginConfig(): Promise<Array<Record<string, unknown>>> } }).homebridge.getPluginConfig());
    return blocks[0];
  }

  async function toggle(expect: 'Hide all settings' | 'Show all settings'): Promise<void> {
    await frame.locator('#toggle-form').click();
    await frame.locator('#toggle-form').filter({ hasText: expect }).waitFor();
    if (expect === 'Hide all settings') await page.locator('form input[name="clientId"]').waitFor({ state: 'visible' });
    else await page.locator('form input[name="clientId"]').waitFor({ state: 'detached' });
  }

  /** Clicks the modal's Save and returns the block written to config.json. */
  async function save(): Promise<Record<string, unknown> | undefined> {
    const before = fs.statSync(ui.configPath).mtimeMs;
    await page.locator('.modal-footer button.btn-primary').filter({ hasText: /save/i }).click();
    // The UI replaces the file: it may be missing for a moment.
    await until('config.json to be written', () => fs.existsSync(ui.configPath) && fs.statSync(ui.configPath).mtimeMs !== before);
    await until('config.json to be whole', () => {
      try {
        return platformBlock(ui.configPath) !== undefined;
      } catch {
        return false;
      }
    });
    return platformBlock(ui.configPath);
  }

  it('show → hide → save writes the block unchanged', async () => {
    await openSettings();
    await toggle('Hide all settings');
    await sleep(600); // longer than the UI's own debounce of form changes (250 ms)
    await toggle('Show all settings');
    await sleep(600);
    assert.deepEqual(await save(), BLOCK);
  });

  it('show → save writes the block unchanged: no default filled in, no vehicle invented', async () => {
    await openSettings();
    await toggle('Hide all settings');
    await sleep(600);
    assert.deepEqual(await save(), BLOCK);
  });

  it('show → hide → show, an edit in the form, hide → save: only the edited key changes', async () => {
    await openSettings();
    await toggle('Hide all settings');
    await toggle('Show all settings');
    await toggle('Hide all settings');
    await page.locator('form input[name="clientId"]').fill('another-client-id');
    await until('the edit to reach the block', async () => (await pendingBlock()).clientId === 'another-client-id');
    await toggle('Show all settings');
    assert.deepEqual(await save(), { ...BLOCK, clientId: 'another-client-id' });
  });

  it('draws ports, timeouts, intervals and thresholds as number inputs, every text whole, "Vehicles" once', async () => {
    await openSettings();
    await toggle('Hide all settings');
    for (const name of ['port', 'lowBatteryThreshold', 'requestTimeoutMs', 'statusIntervalMinutes', 'simulatorTimeScale']) {
      assert.equal(await page.locator(`form input[name="${name}"]`).getAttribute('type'), 'number', `${name} is a number input`);
    }
    assert.equal(await page.locator('form input[type="range"]').count(), 0, 'no range slider');
    for (const section of ['Webhook', 'Advanced']) await page.locator('form legend').filter({ hasText: section }).click();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.locator('form').first().screenshot({ path: path.join(ARTIFACTS, 'homebridge-ui-full-form.png') });
    await page.locator('form fieldset').filter({ has: page.locator('legend', { hasText: 'Vehicles' }) }).first().screenshot({ path: path.join(ARTIFACTS, 'homebridge-ui-full-form-vehicles.png') });
    const text = await page.locator('form').first().innerText();
    assert.match(text, /"Navigate to Work"/);
    assert.ok(!text.includes('`'), 'no literal backtick');
    assert.equal(text.match(/^Vehicles$/gm)?.length, 1, `"Vehicles" once:\n${text}`);
    assert.equal(await page.locator('form input[name="id"]').first().inputValue(), BLOCK.vehicles[0].id, 'the first vehicle is drawn with its id');
    await toggle('Show all settings');
  });
});
