/**
 * The settings page in French and in German (issue 17) in the REAL Homebridge UI: its language is the
 * `lang` setting of the UI's own block (what a user picks in its settings; 'auto' follows the browser),
 * which the page reads through homebridge.i18nCurrentLang(). Screenshots go to test-artifacts/.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { type RunningSimulator, startSimulator } from '../../src/simulator';
import { simulatorPlatformBlock } from '../helpers/simulator';
import { PROJECT_ROOT, type RealUi, startRealUi } from './realUi';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');

const CASES = [
  { lang: 'fr', button: 'Réglages', access: "1. Accès à l'API", test: 'Tester la connexion', car: 'Votre voiture', login: /connecté/, doctorOk: '✔ Tout fonctionne.', check: "Connexion (jeton d'accès)" },
  { lang: 'de', button: 'Einstellungen', access: '1. API-Zugang', test: 'Verbindung testen', car: 'Ihr Auto', login: /angemeldet/, doctorOk: '✔ Alles funktioniert.', check: 'Anmeldung (Access-Token)' },
];

describe('Homebridge settings page in two languages (real homebridge-config-ui-x + Chromium)', function () {
  this.timeout(120_000);
  let sim: RunningSimulator;
  let browser: Browser;

  before(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium package (apt-get install -y chromium)`);
    sim = await startSimulator({ timeScale: 0.01 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });
  after(async () => {
    await browser?.close();
    await sim?.stop();
  });

  for (const c of CASES) {
    it(`${c.lang}: the wizard, the connection test and the car view`, async () => {
      let ui: RealUi | undefined;
      try {
        ui = await startRealUi(simulatorPlatformBlock(sim), { lang: c.lang });
        const context = await browser.newContext({ viewport: { width: 1280, height: 2000 } });
        const page = await context.newPage();
        for (let tries = 0; ; tries += 1) {
          try {
            await page.goto(`${ui.url}/plugins`);
            break;
          } catch (err) {
            if (tries >= 20) throw err;
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
        }
        await page.locator('[aria-label="Plugin Actions Dropdown"]').first().click();
        // The UI itself is in that language too: its own menu item says so.
        await page.getByRole('button', { name: c.button, exact: true }).click();
        const frame = page.frameLocator('iframe[src*="settings-ui"]');
        await frame.locator('#step-access h5').filter({ hasText: c.access }).waitFor({ timeout: 20_000 });
        assert.equal(await frame.locator('html').getAttribute('lang'), c.lang);
        assert.equal((await frame.locator('#doctor-run').textContent())?.trim(), c.test);
        assert.match(await frame.locator('#car-view h5').innerText(), new RegExp(c.car));
        assert.match(await frame.locator('#login-status').innerText(), c.login);
        await frame.locator('#doctor-run').click();
        await frame.locator('#doctor-summary').filter({ hasText: /✔|✖/ }).waitFor({ timeout: 30_000 });
        assert.ok((await frame.locator('#doctor-results li[data-check="token"]').innerText()).includes(`${c.check}:`));
        fs.mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: path.join(ARTIFACTS, `homebridge-ui-settings-${c.lang}.png`), fullPage: true });
        await context.close();
      } finally {
        await ui?.stop();
      }
    });
  }
});
