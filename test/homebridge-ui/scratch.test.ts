import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Frame } from 'playwright-core';
import { PROJECT_ROOT, startRealUi } from './realUi';
import { sleep } from '../helpers/simulator';

describe('scratch', function () {
  this.timeout(120_000);
  it('round trip', async () => {
    const block = process.env.RICH ? { platform: 'Stellantis', name: 'My car', simulator: true, brand: 'opel', clientId: 'abc', webhook: { publicUrl: 'https://car.example.com/stellantis/webhook', port: 9000 }, certificate: { cert: 'stellantis/client.crt' }, vehicles: [{ id: 'VIN0', name: 'Car', features: { horn: false }, destinations: [{ name: 'Work', points: [{ lat: 48.85, lon: 2.35 }] }] }], _bridge: { username: '0E:11:22:33:44:66', port: 51900 }, extra: 'x' } : { platform: 'Stellantis', name: 'Stellantis', simulator: true, brand: 'peugeot', vehicles: [{ id: 'VIN0', name: 'Car' }] };
    const ui = await startRealUi(block);
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 2200 } });
    
    try {
      await page.goto(`${ui.url}/plugins`);
      await page.locator('[aria-label="Plugin Actions Dropdown"]').first().click();
      await page.getByRole('button', { name: 'Plugin Config' }).click();
      const fl = page.frameLocator('iframe[src*="settings-ui"]');
      await fl.locator('#login-status').filter({ hasNotText: 'Checking' }).waitFor({ timeout: 20_000 });
      const frame = page.frames().find((f) => f.url().includes('settings-ui')) as Frame;
      const cfg = async (label: string) => console.log(label, JSON.stringify(await frame.evaluate(() => (window as unknown as { homebridge: { getPluginConfig(): Promise<unknown> } }).homebridge.getPluginConfig())));
      await cfg('start');
      await fl.locator('#toggle-form').click();
      await sleep(1500);
      await cfg('shown');
      fs.mkdirSync(path.join(PROJECT_ROOT, 'test-artifacts'), { recursive: true });
      await page.screenshot({ path: path.join(PROJECT_ROOT, 'test-artifacts/scratch-shown.png'), fullPage: true });
      if (process.env.MODE !== 'save-shown') {
        await fl.locator('#toggle-form').click();
        await sleep(1500);
        await cfg('hidden');
      }
      await page.locator('.modal-footer button.btn-primary').click();
      await sleep(1500);
      console.log('file', JSON.stringify(JSON.parse(fs.readFileSync(ui.configPath, 'utf8')).platforms[1]));
    } finally {
      await browser.close();
      await ui.stop();
    }
  });
});
