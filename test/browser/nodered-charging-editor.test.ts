/**
 * Issue 15's editor parts in a real browser (Chromium) against a real Node-RED process: a remote node set to
 * *Charging programs* gets two programs in its list (start, end, days, enabled), is deployed, and the deployed
 * and saved flow carry them; the inject button then sends them to the simulated car. The account dialog shows *Wake-ups a
 * month* (20 by default, a bad value marked), a value set there is deployed, saved, and used by the running
 * account (its Test connection counts down from it).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ensureBuilt, getJson, PROJECT_ROOT, SIMULATOR_INFO_PATH, startNodeRed, type NodeRedProcess } from './nodeRedProcess';
import { addFromPalette, deploy, nodeIds, openNodeDialog, waitUntil, wire } from './editor';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');
const SCALE = 0.01;
const FAILURE_SHOT = path.join(ARTIFACTS, 'nodered-charging-editor-failure.png');

interface FlowNode {
  id: string;
  type: string;
  [key: string]: unknown;
}
interface SimState {
  vehicles: Array<{ id: string; state: { chargePrograms?: Array<{ start: string; end: string; enabled: boolean; occurence: { day: string[] } }> } }>;
  counters: { remotes: number };
}

/** The flow as the runtime has it deployed (admin API) and as it saved it (flows.json in the user dir). */
async function deployedAndSaved(red: NodeRedProcess): Promise<{ deployed: FlowNode[]; saved: FlowNode[] }> {
  const deployed = await getJson<FlowNode[]>(`${red.url}/flows`);
  const saved = JSON.parse(fs.readFileSync(path.join(red.userDir, 'flows.json'), 'utf8')) as FlowNode[];
  return { deployed, saved };
}

const byType = (flow: FlowNode[], type: string): FlowNode => {
  const found = flow.find((n) => n.type === type);
  if (!found) throw new Error(`no ${type} node in ${JSON.stringify(flow.map((n) => n.type))}`);
  return found;
};

describe('Node-RED editor in a real browser: charging programs and the wake-ups field', function () {
  this.timeout(180_000);
  let nodeRed: NodeRedProcess | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let remoteId = '';
  let injectId = '';

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      if (process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must install it (apt-get install -y chromium)`);
      console.log(`      skipped: ${CHROMIUM} is not installed (apt-get install -y chromium); CI runs this test`);
      this.skip();
    }
    fs.rmSync(FAILURE_SHOT, { force: true });
    ensureBuilt();
    const { chromium } = await import('playwright-core');
    nodeRed = await startNodeRed(SCALE);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  });

  afterEach(async function () {
    if (page && this.currentTest?.state === 'failed') {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: FAILURE_SHOT }).catch(() => undefined);
      console.log(nodeRed?.output().split('\n').slice(-40).join('\n'));
    }
  });

  after(async () => {
    await browser?.close();
    await nodeRed?.stop();
  });

  it('adds two charging programs in the remote node\'s list, deploys them, and the deployed and saved flow carry them; the inject sends them to the car', async () => {
    const p = page!;
    const red = nodeRed!;
    await p.goto(red.url);
    await p.locator('.red-ui-palette-node[data-palette-type="stellantis-remote"]').waitFor({ timeout: 30_000 });
    await addFromPalette(p, 'inject', 'inject', { x: 300, y: 200 });
    await addFromPalette(p, 'remote', 'stellantis-remote', { x: 560, y: 200 });
    [injectId] = await nodeIds(p, 'inject');
    [remoteId] = await nodeIds(p, 'stellantis-remote');
    await wire(p, injectId, remoteId);

    await openNodeDialog(p, remoteId);
    await p.locator('.form-row', { has: p.locator('#node-input-account') }).locator('.red-ui-button:has(.fa-plus)').click();
    await p.locator('#node-config-input-simulator').check();
    await p.locator('#node-config-input-simulatorTimeScale').fill(String(SCALE));
    await p.locator('#node-config-input-name').fill('Budget simulator');
    // A new account shows the field with its default.
    await p.locator('#node-config-input-wakeUpsPerMonth').waitFor({ state: 'visible' });
    assert.equal(await p.locator('#node-config-input-wakeUpsPerMonth').inputValue(), '20');
    await p.locator('#node-config-dialog-ok').click();
    await p.locator('#node-config-input-simulator').waitFor({ state: 'detached' });

    await p.locator('#node-input-action').selectOption('charge-programs');
    const listRow = p.locator('.node-input-chargePrograms-container-row');
    await listRow.waitFor({ state: 'visible' });
    await listRow.locator('.red-ui-editableList-addButton').click();
    const item = listRow.locator('.red-ui-editableList-item-content').first();
    await item.locator('.stellantis-start').waitFor({ state: 'visible' });
    assert.equal(await item.locator('.stellantis-start').inputValue(), '22:30', 'a new program starts from the usual off-peak window');
    await item.locator('.stellantis-start').fill('23:15');
    await item.locator('.stellantis-end').fill('05:45');
    await item.locator('.stellantis-day[value="Fri"]').uncheck();
    await item.locator('.stellantis-day[value="Sat"]').check();
    // A second one: the list grows with its two-line programs, so its add button stays reachable (a click would time out if covered).
    await listRow.locator('.red-ui-editableList-addButton').click();
    const second = listRow.locator('.red-ui-editableList-item-content').nth(1);
    await second.locator('.stellantis-start').fill('01:00');
    await second.locator('.stellantis-end').fill('07:00');
    for (const d of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri']) await second.locator(`.stellantis-day[value="${d}"]`).uncheck();
    await second.locator('.stellantis-day[value="Sun"]').check();
    await second.locator('.stellantis-enabled').uncheck();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await p.locator('.red-ui-tray').last().screenshot({ path: path.join(ARTIFACTS, 'nodered-charge-programs-dialog.png') });
    await p.locator('#node-dialog-ok').click();
    await deploy(p);

    const programs = [
      { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Sat'], start: '23:15', enabled: true, end: '05:45' },
      { days: ['Sun'], start: '01:00', enabled: false, end: '07:00' },
    ];
    await waitUntil(async () => fs.existsSync(path.join(red.userDir, 'flows.json')), 'flows.json to be written');
    const first = await deployedAndSaved(red);
    for (const [name, flow] of Object.entries(first)) {
      const remote = byType(flow, 'stellantis-remote');
      assert.equal(remote.action, 'charge-programs', name);
      assert.deepEqual(remote.chargePrograms, programs, `${name}: the programs as typed, in order`);
    }

    // Deployed, the account runs the simulator: pick its first car (the e-208, an EV) and press the inject.
    await openNodeDialog(p, remoteId);
    const menu = p.locator('select.stellantis-vehicle-menu');
    await waitUntil(async () => {
      if ((await menu.locator('option').count()) > 0) return true;
      await p.locator('#stellantis-pick-vehicle').click();
      return false;
    }, 'the vehicle picker to list the simulated cars', 30_000);
    const vehicleId = (await menu.locator('option').first().getAttribute('value')) ?? '';
    await menu.selectOption(vehicleId);
    assert.equal(await p.locator('.node-input-chargePrograms-container-row .red-ui-editableList-item-content').count(), 2, 'the list came back with its programs');
    await p.locator('#node-dialog-ok').click();
    await deploy(p);

    const { url: simUrl } = await getJson<{ url: string }>(`${red.url}${SIMULATOR_INFO_PATH}`);
    const remotesBefore = (await getJson<SimState>(`${simUrl}/_simulator/state`)).counters.remotes;
    await p.locator(`[id="${injectId}"] .red-ui-flow-node-button`).click();
    let car: SimState['vehicles'][number]['state'] | undefined;
    await waitUntil(async () => {
      car = (await getJson<SimState>(`${simUrl}/_simulator/state`)).vehicles.find((v) => v.id === vehicleId)?.state;
      return (car?.chargePrograms?.length ?? 0) > 0;
    }, 'the car to keep the programs', 30_000);
    assert.deepEqual(car?.chargePrograms, [
      { start: 'PT23H15M', end: 'PT5H45M', enabled: true, occurence: { day: ['Mon', 'Tue', 'Wed', 'Thu', 'Sat'] } },
      { start: 'PT1H0M', end: 'PT7H0M', enabled: false, occurence: { day: ['Sun'] } },
    ]);
    assert.equal((await getJson<SimState>(`${simUrl}/_simulator/state`)).counters.remotes - remotesBefore, 1, 'one remote sent');
    const status = p.locator(`[id="${remoteId}"] .red-ui-flow-node-status-label`);
    await waitUntil(async () => /programs/.test((await status.textContent()) ?? ''), 'the remote node status to name the programs', 30_000);
  });

  it('the account dialog shows Wake-ups a month; a value set there is deployed, saved and used by the running account', async () => {
    const p = page!;
    const red = nodeRed!;
    assert.ok(remoteId, 'the flow of the first test is deployed');
    await openNodeDialog(p, remoteId);
    await p.locator('.form-row', { has: p.locator('#node-input-account') }).locator('.red-ui-button:has(.fa-pencil)').click();
    const field = p.locator('#node-config-input-wakeUpsPerMonth');
    await field.waitFor({ state: 'visible' });
    const row = p.locator('.form-row', { has: field });
    assert.match(await row.innerText(), /Wake-ups a month\s+per car: the assumed cap \(Stellantis does not publish it\)/);

    // Out of range: the editor marks the field (Node-RED's validation), in range: no mark.
    await field.fill('0');
    await field.blur();
    await waitUntil(async () => (await field.getAttribute('class'))?.includes('input-error') ?? false, 'the field marked as invalid');
    await field.fill('12');
    await field.blur();
    await waitUntil(async () => !((await field.getAttribute('class'))?.includes('input-error') ?? false), 'the mark to go away');
    await row.scrollIntoViewIfNeeded();
    // Deploy notices would cover the tray's top in the picture.
    await waitUntil(async () => (await p.locator('.red-ui-notification:visible').count()) === 0, 'the deploy notices to fade', 30_000);
    await p.locator('.red-ui-tray').last().screenshot({ path: path.join(ARTIFACTS, 'nodered-account-wakeups.png') });
    await p.locator('#node-config-dialog-ok').click();
    await p.locator('#node-config-input-simulator').waitFor({ state: 'detached' });
    await p.locator('#node-dialog-ok').click();
    await deploy(p);

    const flows = await deployedAndSaved(red);
    for (const [name, flow] of Object.entries(flows)) {
      assert.equal(Number(byType(flow, 'stellantis-account').wakeUpsPerMonth), 12, `${name}: wakeUpsPerMonth 12`);
    }

    // The redeployed account counts down from it: its Test connection (the doctor) says so.
    await openNodeDialog(p, remoteId);
    await p.locator('.form-row', { has: p.locator('#node-input-account') }).locator('.red-ui-button:has(.fa-pencil)').click();
    const wakeUps = p.locator('#stellantis-doctor-results li[data-check="wakeups"]');
    await waitUntil(async () => {
      if ((await wakeUps.count()) > 0 && /assumed cap 12/.test(await wakeUps.innerText())) return true;
      // The account restarts after the deploy: test again until it runs with the new value.
      if (!/testing/.test(await p.locator('#stellantis-doctor-summary').innerText())) await p.locator('#stellantis-doctor-run').click();
      return false;
    }, 'the doctor to count down from 12', 30_000);
    assert.match(await wakeUps.innerText(), /\d+ wake-ups? this month, about \d+ left \(assumed cap 12\)/);
    await p.locator('#node-config-dialog-cancel').click();
    await p.locator('#node-dialog-cancel').click();
  });
});
