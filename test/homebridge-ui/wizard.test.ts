/**
 * The settings page as a first-time owner meets it, in the REAL Homebridge UI and Chromium: every
 * prerequisite in order, each saying what is missing and where to type it; the certificate uploaded
 * (checked, stored 0600 under <storage>/stellantis); the public address checked by the doctor's
 * listener check; and the simulator walk-through ending green. Screenshots of each step.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Browser, type BrowserContext, chromium, type FrameLocator, type Page } from 'playwright-core';
import { STORAGE_SUBDIR } from '../../src/homebridge/settings';
import { testPki, writeTempFiles } from '../helpers/certs';
import { freePort, PROJECT_ROOT, type RealUi, startRealUi } from './realUi';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');

describe('Homebridge settings UI: the setup wizard (real homebridge-config-ui-x + Chromium)', function () {
  this.timeout(120_000);
  let ui: RealUi;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let frame: FrameLocator;
  let files: ReturnType<typeof writeTempFiles>;

  const shot = async (section: string, name: string): Promise<void> => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await frame.locator(`#${section}`).screenshot({ path: path.join(ARTIFACTS, `wizard-${name}.png`) });
  };
  const state = (section: string): Promise<string | null> => frame.locator(`#${section}`).getAttribute('data-state');
  const stateIs = (section: string, value: string): Promise<void> => frame.locator(`#${section}[data-state="${value}"]`).waitFor({ timeout: 15_000 });

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium package (apt-get install -y chromium)`);
    const pki = await testPki();
    files = writeTempFiles({ 'cert.pem': pki.client.cert, 'key.pem': pki.client.key, 'other-key.pem': pki.stranger.key, 'not-pem.txt': 'hello' });
    ui = await startRealUi({ platform: 'Stellantis', name: 'Stellantis' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    context = await browser.newContext({ viewport: { width: 1280, height: 2400 } });
    page = await context.newPage();
  });

  after(async function () {
    if (page && !page.isClosed()) {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'wizard-page.png'), fullPage: true }).catch(() => undefined);
    }
    await browser?.close();
    await ui?.stop();
    files?.remove();
  });

  it('opens on an empty configuration with every prerequisite in order, each saying what is missing and where', async () => {
    await page.goto(`${ui.url}/plugins`);
    await page.locator('[aria-label="Plugin Actions Dropdown"]').first().click();
    await page.getByRole('button', { name: 'Plugin Config' }).click();
    frame = page.frameLocator('iframe[src*="settings-ui"]');
    await stateIs('step-application', 'todo');
    const order = await frame.locator('#stellantis-ui section[id^="step-"] h5').allInnerTexts();
    assert.deepEqual(order.map((t) => t.replace(/^\D*(\d+)\..*$/s, '$1')), ['1', '2', '3', '4', '5', '6', '7', '8']);
    assert.match(order[0], /API access/);
    assert.equal(await state('step-access'), 'info');
    await frame.locator('#access-doc-toggle').click();
    await frame.locator('#access-doc').filter({ hasText: 'Stellantis' }).waitFor();
    await shot('step-access', '1-access');
    const clientId = await frame.locator('#application-missing li[data-key="clientId"]').innerText();
    assert.match(clientId, /clientId: missing[\s\S]*Type it in: step “Application”: the “Client id” field/);
    assert.ok(await frame.locator('#client-id').isVisible(), 'the field it names is on the page');
    assert.equal(await state('step-certificate'), 'todo');
    assert.equal(await state('step-public-url'), 'todo');
    // The login step names where to type each missing setting too.
    assert.match(await frame.locator('#login-status').innerText(), /clientId: missing[\s\S]*type it in step “Application”/);
    await shot('step-application', '3-application-missing');
  });

  it('takes the application credentials in the fields it names', async () => {
    await frame.locator('#brand').selectOption('peugeot');
    await stateIs('step-account', 'done');
    await frame.locator('#client-id').fill('my-client-id');
    await frame.locator('#client-id').press('Tab');
    await frame.locator('#client-secret').fill('my-client-secret-value');
    await frame.locator('#client-secret').press('Tab');
    await frame.locator('#app-redirect-uri').fill('https://owner.example.org/callback');
    await frame.locator('#app-redirect-uri').press('Tab');
    await stateIs('step-application', 'done');
    await shot('step-application', '3-application-done');
  });

  it('refuses a file that is not PEM, then stores the uploaded certificate and key 0600 under <storage>/stellantis', async () => {
    await frame.locator('#cert-file').setInputFiles(files.file('not-pem.txt'));
    await frame.locator('#error-text').filter({ hasText: 'not a PEM certificate' }).waitFor();
    await frame.locator('#cert-file').setInputFiles(files.file('cert.pem'));
    await frame.locator('#upload-status').filter({ hasText: 'Stored certificate' }).waitFor();
    await frame.locator('#key-file').setInputFiles(files.file('other-key.pem'));
    await frame.locator('#certificate-missing li[data-key="certificate.key"]').filter({ hasText: 'does not match' }).waitFor();
    await frame.locator('#key-file').setInputFiles(files.file('key.pem'));
    await stateIs('step-certificate', 'done');
    assert.match(await frame.locator('#certificate-missing').innerText(), /belong together/);
    const dir = path.join(ui.storagePath, STORAGE_SUBDIR);
    for (const name of ['client-certificate.pem', 'client-key.pem']) {
      assert.equal(fs.statSync(path.join(dir, name)).mode & 0o777, 0o600, name);
    }
    assert.equal(await frame.locator('#cert-path').inputValue(), path.join(dir, 'client-certificate.pem'));
    assert.equal(await frame.locator('#key-path').inputValue(), path.join(dir, 'client-key.pem'));
    await shot('step-certificate', '4-certificate');
  });

  it('checks the public address with the doctor\'s listener check and says what to fix', async () => {
    await frame.locator('#public-url').fill('http://car.example.org/hook');
    await frame.locator('#public-url').press('Tab');
    await frame.locator('#publicUrl-missing li[data-key="webhook.publicUrl"]').filter({ hasText: 'https://' }).waitFor();
    const port = await freePort();
    await frame.locator('#public-url').fill(`https://127.0.0.1:${port}/stellantis/webhook`);
    await frame.locator('#public-url').press('Tab');
    await stateIs('step-public-url', 'done');
    await frame.locator('#public-url-check').click();
    const listener = frame.locator('#public-url-results li[data-check="listener"]');
    await listener.waitFor();
    assert.match(await listener.innerText(), /nothing answers at https:\/\/127\.0\.0\.1:\d+\/stellantis\/webhook\/health[\s\S]*Fix: /);
    assert.ok(!(await frame.locator('body').innerText()).includes('my-client-secret-value'), 'the secret is never shown as text');
    await shot('step-public-url', '7-public-url');
  });

  it('the simulator path needs none of it and ends green', async () => {
    await frame.locator('#simulator-mode').check();
    for (const s of ['step-access', 'step-application', 'step-certificate', 'step-public-url']) await stateIs(s, 'skip');
    await shot('step-access', '1-simulator');
    await frame.locator('#login-start').click();
    const [loginTab] = await Promise.all([context.waitForEvent('page'), frame.locator('#login-link').click()]);
    await loginTab.getByRole('button', { name: 'Log in' }).click();
    await loginTab.waitForURL((u) => u.pathname.endsWith('/_simulator/oauth/callback'));
    const redirected = loginTab.url();
    await loginTab.close();
    await frame.locator('#redirect-input').fill(redirected);
    await frame.locator('#login-finish').click();
    await frame.locator('#login-status').filter({ hasText: /^✔ Logged in/ }).waitFor();
    await shot('step-login', '5-login');
    await frame.locator('#vehicles-load').click();
    await frame.locator('input.vehicle-choice').first().check();
    await frame.locator('#vehicles-save').click();
    await frame.locator('#vehicles-status').filter({ hasText: 'Saved 1 vehicle' }).waitFor();
    await shot('step-vehicles', '6-vehicles');
    await frame.locator('#doctor-run').click();
    const summary = frame.locator('#doctor-summary');
    await summary.filter({ hasText: /Everything works|Some checks failed/ }).waitFor({ timeout: 30_000 });
    await shot('step-test', '8-test');
    assert.equal(await frame.locator('#doctor-results li.check-fail').count(), 0, await frame.locator('#doctor-results').innerText());
    assert.match(await summary.innerText(), /^✔ Everything works/);
    assert.match(await frame.locator('#doctor-results li[data-check="listener"]').innerText(), /not needed with the built-in simulator/);
  });
});
