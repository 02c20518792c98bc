/**
 * The Node-RED editor in French and in German (issue 17): a real Node-RED started with `lang` set (the runtime
 * language of the texts under the nodes) and Chromium with that locale (the editor follows navigator.language).
 * A remote node without an account shows its status in the runtime language; its dialog shows the labels of the
 * language's catalog. Screenshots go to test-artifacts/.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { PROJECT_ROOT, startNodeRed, type NodeRedProcess } from './nodeRedProcess';
import { openNodeDialog, waitUntil } from './editor';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');

const CASES = [
  { lang: 'fr', locale: 'fr-FR', status: 'aucun compte', account: 'Compte', action: 'Verrouiller les portes' },
  { lang: 'de', locale: 'de-DE', status: 'kein Konto', account: 'Konto', action: 'Türen verriegeln' },
];

describe('Node-RED editor in French and German (Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      if (process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must install it (apt-get install -y chromium)`);
      this.skip();
    }
    if (!fs.existsSync(path.join(PROJECT_ROOT, 'dist', 'nodes', 'src', 'stellantis-remote.js'))) {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
    }
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });

  after(async () => {
    await browser?.close();
  });

  for (const c of CASES) {
    it(`${c.lang}: the status under a remote node and its dialog`, async () => {
      let nodeRed: NodeRedProcess | undefined;
      const context = await browser!.newContext({ locale: c.locale, viewport: { width: 1400, height: 900 } });
      try {
        nodeRed = await startNodeRed(0.01, c.lang);
        const flow = [
          { id: 'tab1', type: 'tab', label: 'Flow 1' },
          { id: 'remote1', type: 'stellantis-remote', z: 'tab1', name: '', account: '', vehicle: '', action: 'lock', wait: true, x: 300, y: 160, wires: [[], []] },
        ];
        const res = await fetch(`${nodeRed.url}/flows`, { method: 'POST', headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'full' }, body: JSON.stringify(flow) });
        assert.ok(res.ok, `POST /flows: ${res.status}`);
        const page = await context.newPage();
        await page.goto(nodeRed.url);
        const label = page.locator('[id="remote1"] .red-ui-flow-node-status-label');
        await waitUntil(async () => ((await label.textContent().catch(() => '')) ?? '') === c.status, `the status "${c.status}"`, 30_000);
        assert.equal(await page.locator('[id="remote1"] .red-ui-flow-node-label').first().textContent(), c.action);
        fs.mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: path.join(ARTIFACTS, `nodered-editor-${c.lang}.png`) });
        await openNodeDialog(page, 'remote1');
        assert.equal((await page.locator('label[for="node-input-account"] span').textContent())?.trim(), c.account);
        await page.screenshot({ path: path.join(ARTIFACTS, `nodered-dialog-${c.lang}.png`) });
      } finally {
        await context.close();
        await nodeRed?.stop();
      }
    });
  }
});
