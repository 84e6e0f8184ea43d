/**
 * Regenerates docs/screenshots/: the dashboard's main views at desktop and phone width, in
 * Debian's Chromium, against an emulator with the default world and a manual clock, mid-scan.
 * Usage: node --import tsx scripts/screenshots.ts
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../src/index.js';
import { launchBrowser } from '../test/helpers/browser.js';

const PROJECT = '2b31ed520b4d4e0a9c3d7f6e5a4b3c21';
const out = new URL('../docs/screenshots/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });

const emulator = await startEmulator({ clock_start: Date.UTC(2026, 10, 30, 9, 0, 0) });
const browser = await launchBrowser();
try {
  // something to look at: a scan that will fail, a batch over the whole project, a fault met
  const agent = (await emulator.images.list({ project_id: PROJECT })).find((i) => i.image_name.endsWith('webshell-ljx'))!;
  await emulator.scripts.set(agent.image_id, [{ outcome: 'failed', scan_failed_desc: 'unknown_error', duration_ms: 20_000 }], PROJECT);
  await emulator.faults.add({ operation: 'ListImageLocal', project_id: PROJECT, status: 503, error_code: 'APIGW.0308', times: 1 });
  await fetch(`${emulator.url}/_emulator/projects/${PROJECT}/batch-scan`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ operate_all: true }) });
  await emulator.clock.advance(6_000);
  const login = await fetch(`${emulator.url}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', password: 'Admin@12345', domain: { name: 'hss-emulator' } } } }, scope: { project: { id: PROJECT } } } }),
  });
  const headers = { 'x-auth-token': login.headers.get('x-subject-token')! };
  await fetch(`${emulator.url}/v5/${PROJECT}/image/local-repositories?limit=20`, { headers });
  await fetch(`${emulator.url}/v5/${PROJECT}/image/local-repositories?limit=20&scan_status=failed`, { headers });

  for (const [name, width, height] of [['desktop', 1280, 900], ['phone', 390, 844]] as const) {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
    await page.goto(`${emulator.url}/_emulator/ui?project=${PROJECT}`);
    await page.waitForSelector('body[data-ready="true"]');
    if (name === 'desktop') {
      // time passes while the page is open: events come in, rows and bars move
      await emulator.clock.advance(3_000);
      await page.waitForTimeout(1_500);
    }
    await page.locator('#calls tbody tr').first().click();
    await page.screenshot({ path: join(out, `dashboard-${name}.png`), fullPage: true });
    await page.close();
    console.log(`wrote docs/screenshots/dashboard-${name}.png`);
  }
} finally {
  await browser.close();
  await emulator.close();
}
