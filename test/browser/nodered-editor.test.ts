/**
 * The Node-RED editor in a real browser (Debian's Chromium driven by playwright-core) against a real
 * Node-RED process with this package installed: the nodes are in the palette, a user drags an inject
 * and a remote node in, wires them, creates a simulator account from the remote's dialog, chooses the
 * action, deploys, picks the car with the vehicle picker, deploys again and presses the inject button;
 * the remote's status turns to "locked" and the simulated car is locked by exactly one remote.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ensureBuilt, getJson, postJson, PROJECT_ROOT, SIMULATOR_INFO_PATH, startNodeRed, type NodeRedProcess } from './nodeRedProcess';
import { hostModulesDir, hostVersion } from '../helpers/hostModules';
import { addFromPalette, deploy, nodeIds, openNodeDialog, waitUntil, wire } from './editor';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');
/** The simulator time scale typed into the account dialog (delays 100 times shorter than real ones). */
const SCALE = 0.01;

interface SimState {
  vehicles: Array<{ id: string; state: { locked?: boolean } }>;
  counters: { remotes: number; calls: number };
}

describe('Node-RED editor in a real browser (Chromium)', function () {
  this.timeout(120_000);
  let nodeRed: NodeRedProcess | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  /** The remote node of the flow the first test deploys. */
  let remoteNodeId: string | undefined;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      if (process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must install it (apt-get install -y chromium)`);
      console.log(`      skipped: ${CHROMIUM} is not installed (apt-get install -y chromium); CI runs this test`);
      this.skip();
    }
    fs.rmSync(path.join(ARTIFACTS, 'nodered-editor-failure.png'), { force: true });
    ensureBuilt();
    const { chromium } = await import('playwright-core');
    nodeRed = await startNodeRed(SCALE);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });

  afterEach(async function () {
    if (page && this.currentTest?.state === 'failed') {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'nodered-editor-failure.png') }).catch(() => undefined);
      console.log(nodeRed?.output().split('\n').slice(-40).join('\n'));
    }
  });

  after(async () => {
    await browser?.close();
    await nodeRed?.stop();
  });

  it('shows the Stellantis nodes in the palette, builds and deploys a lock flow, and the inject button locks the simulated car', async () => {
    const p = page!;
    const red = nodeRed!;
    const version = hostVersion('node-red');
    assert.match(red.output(), new RegExp(`Node-RED version: v${version.replace(/\./g, '\\.')}`), `the Node-RED from ${hostModulesDir()} runs`);
    await p.goto(red.url);
    for (const type of ['stellantis-remote', 'stellantis-events', 'stellantis-status']) {
      await p.locator(`.red-ui-palette-node[data-palette-type="${type}"]`).waitFor({ timeout: 30_000 });
    }
    const category = await p.locator('.red-ui-palette-category').filter({ has: p.locator('[data-palette-type="stellantis-remote"]') }).getAttribute('id');
    assert.match(category ?? '', /stellantis/, 'the nodes sit in the "stellantis" palette category');

    await addFromPalette(p, 'inject', 'inject', { x: 300, y: 200 });
    await addFromPalette(p, 'remote', 'stellantis-remote', { x: 560, y: 200 });
    const [injectId] = await nodeIds(p, 'inject');
    const [remoteId] = await nodeIds(p, 'stellantis-remote');
    assert.ok(injectId && remoteId, 'both nodes are on the workspace');
    await wire(p, injectId, remoteId);

    // The remote's dialog: a new simulator account (the config node's own dialog), then the action.
    await openNodeDialog(p, remoteId);
    const accountRow = p.locator('.form-row', { has: p.locator('#node-input-account') });
    await accountRow.locator('.red-ui-button:has(.fa-plus)').click();
    await p.locator('#node-config-input-simulator').check();
    await p.locator('#node-config-input-simulatorTimeScale').fill(String(SCALE));
    await p.locator('#node-config-input-name').fill('Browser simulator');
    await p.locator('#node-config-dialog-ok').click();
    await p.locator('#node-config-input-simulator').waitFor({ state: 'detached' });
    assert.equal(await p.locator('#node-input-account option:checked').textContent(), 'Browser simulator');
    // The parameter rows follow the chosen action: a time for "charge at", none for "lock".
    await p.locator('#node-input-action').selectOption('charge-at');
    await p.locator('#node-input-at').waitFor({ state: 'visible' });
    await p.locator('#node-input-action').selectOption('lock');
    await p.locator('#node-input-at').waitFor({ state: 'hidden' });
    await p.locator('#node-input-wait').selectOption('true');
    await p.locator('#node-dialog-ok').click();
    await deploy(p);

    // Deployed: the account runs the simulator, so the vehicle picker can list its cars.
    await openNodeDialog(p, remoteId);
    const menu = p.locator('select.stellantis-vehicle-menu');
    for (let attempt = 0; (await menu.locator('option').count()) === 0; attempt++) {
      if (attempt === 50) throw new Error('the vehicle picker never listed the simulated cars');
      await p.locator('#stellantis-pick-vehicle').click();
      await p.waitForTimeout(200);
    }
    const vehicleId = await menu.locator('option').first().getAttribute('value');
    assert.ok(vehicleId);
    await menu.selectOption(vehicleId);
    assert.equal(await p.locator('#node-input-vehicle').inputValue(), vehicleId);
    await p.locator('#node-dialog-ok').click();
    await deploy(p);

    const { url: simUrl } = await getJson<{ url: string }>(`${red.url}${SIMULATOR_INFO_PATH}`);
    await postJson(`${simUrl}/_simulator/control/setVehicle`, { id: vehicleId, patch: { locked: false } });
    const before = await getJson<SimState>(`${simUrl}/_simulator/state`);
    assert.equal(before.vehicles.find((v) => v.id === vehicleId)?.state.locked, false);

    await p.locator(`[id="${injectId}"] .red-ui-flow-node-button`).click();
    const status = p.locator(`[id="${remoteId}"] .red-ui-flow-node-status-label`);
    await waitUntil(async () => /^locked/.test((await status.textContent()) ?? ''), 'the remote node status "locked"', 30_000);
    assert.match((await status.textContent()) ?? '', /^locked \d\d:\d\d$/);

    const after = await getJson<SimState>(`${simUrl}/_simulator/state`);
    assert.equal(after.vehicles.find((v) => v.id === vehicleId)?.state.locked, true, 'the simulated car is locked');
    assert.equal(after.counters.remotes - before.counters.remotes, 1, 'exactly one remote action was sent');

    await p.locator('.red-ui-palette-node[data-palette-type="stellantis-remote"]').scrollIntoViewIfNeeded();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await p.screenshot({ path: path.join(ARTIFACTS, `nodered-editor-node-red-${version}.png`) });
    remoteNodeId = remoteId;
  });

  it('tests the deployed account from its dialog (each check with its result), and reads the login rows 1, 2, 3', async () => {
    const p = page!;
    assert.ok(remoteNodeId, 'the flow of the first test is deployed');
    await openNodeDialog(p, remoteNodeId);
    await p.locator('.form-row', { has: p.locator('#node-input-account') }).locator('.red-ui-button:has(.fa-pencil)').click();
    await p.locator('#stellantis-doctor-run').click();
    const items = p.locator('#stellantis-doctor-results li');
    await items.first().waitFor({ timeout: 30_000 });
    for (const id of ['config', 'token', 'api', 'vehicles']) {
      assert.match(await p.locator(`#stellantis-doctor-results li[data-check="${id}"]`).innerText(), /^\u2714 /, `${id} passed`);
    }
    const failed = p.locator('#stellantis-doctor-results li').filter({ hasText: /^\u2716/ });
    for (let i = 0; i < (await failed.count()); i++) assert.match(await failed.nth(i).innerText(), /\nFix: \S/, 'a failed check says what to do');
    assert.match(await p.locator('#stellantis-doctor-summary').innerText(), /^(\u2714 Everything works|\u2716 Some checks failed)/);

    // Unticked, the dialog shows the login rows of a real account: in the order 1, 2 (with its input), 3.
    await p.locator('#node-config-input-simulator').uncheck();
    await p.locator('#stellantis-login-open').waitFor({ state: 'visible' });
    const loginText = await p.locator('.form-row.stellantis-b2c').evaluateAll((rows) => rows.map((r) => {
      const input = r.querySelector('#stellantis-login-redirect');
      return `${(r as unknown as { innerText: string }).innerText.trim()}${input ? ' [input]' : ''}`;
    }).join(' | '));
    assert.match(loginText, /1\. Open the login page.*\| 2\. Paste the address[^|]*\[input\].*\| 3\. Store the tokens/, loginText);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await p.setViewportSize({ width: 1400, height: 1400 });
    await p.locator('#stellantis-doctor-results').scrollIntoViewIfNeeded();
    await p.locator('.red-ui-tray').last().screenshot({ path: path.join(ARTIFACTS, 'nodered-account-dialog.png') });
    await p.setViewportSize({ width: 1400, height: 900 });
    await p.locator('#node-config-dialog-cancel').click();
    await p.locator('#node-dialog-cancel').click();
  });
});
