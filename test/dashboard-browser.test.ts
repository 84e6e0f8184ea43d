/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core), against an
 * emulator with a manual clock: what a presenter does with it, and what it costs the server.
 */
import t, { type Test } from 'tap';
import type { Page, Request } from 'playwright-core';
import { startEmulator, type EmulatorHandle } from '../src/index.js';
import { browserMissing, launchBrowser } from './helpers/browser.js';
import { ADMIN, PROJECT_A, passwordLogin } from './helpers/build.js';

const missing = browserMissing();
// a browser start and several pages: more than a plain test, well under tap's limit
t.setTimeout(90_000);

t.test('the dashboard in Chromium', { skip: missing ?? false }, async (t) => {
  const browser = await launchBrowser();
  t.teardown(() => browser.close());

  /** The page, with every console error and uncaught exception it produced, and every request it made. */
  async function open(t: Test, emulator: EmulatorHandle, query = '', width = 1280): Promise<{ page: Page; errors: string[]; requests: Request[] }> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    t.teardown(() => context.close());
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: Request[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => requests.push(request));
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${emulator.url}/_emulator/ui${query}`);
    await page.waitForSelector('body[data-ready="true"]');
    return { page, errors, requests };
  }

  const row = (page: Page, name: string) => page.locator('#images tbody tr', { has: page.locator(`td.name button[aria-label^="Findings of ${name}:"]`) });
  const statusOf = (page: Page, name: string) => row(page, name).locator('[data-field="status"]');
  const waitForStatus = (page: Page, name: string, status: string) =>
    page.waitForFunction(
      ([n, s]) =>
        [...document.querySelectorAll('#images tbody tr')].some(
          (tr) => tr.querySelector('td.name')?.textContent === n && tr.querySelector('[data-field="status"]')?.textContent === s,
        ),
      [name, status] as const,
    );
  const advance = async (page: Page, label: string, times = 1) => {
    for (let i = 0; i < times; i++) await page.getByRole('button', { name: label, exact: true }).click();
  };

  await t.test('batch-scan from the page, watch rows and lane bars move with the clock, script a failure', async (t) => {
    const emulator = await startEmulator();
    t.teardown(() => emulator.close());
    const { page, errors } = await open(t, emulator, `?project=${PROJECT_A}`);

    t.equal(await page.locator('#project').inputValue(), PROJECT_A);
    t.equal(await page.locator('#images tbody tr').count(), 14, "the project's 14 images");
    t.equal(await page.locator('#counters [data-status="unscan"] b').textContent(), '8', 'the counters per scan status');

    // two images scanned from the page
    await row(page, 'swr.cn-north-7.myhuaweicloud.com/team/frontend').getByRole('checkbox').check();
    await row(page, 'alpine').getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Scan selected (2)' }).click();
    // four lanes are free: both scans start at once
    await waitForStatus(page, 'swr.cn-north-7.myhuaweicloud.com/team/frontend', 'scanning');
    await waitForStatus(page, 'alpine', 'scanning');
    await page.waitForFunction(() => document.querySelectorAll('#lane-chart rect.bar[data-phase="scanning"]').length === 2);
    const barX = () => page.locator('#lane-chart rect.bar').first().getAttribute('x');
    const startX = await barX();

    // the clock moves: bars slide back and take the phase of the new "now", rows follow
    await advance(page, '+1 s');
    await page.waitForFunction((x) => document.querySelector('#lane-chart rect.bar')?.getAttribute('x') !== x, startX);
    await advance(page, '+10 min');
    await waitForStatus(page, 'swr.cn-north-7.myhuaweicloud.com/team/frontend', 'success');
    await waitForStatus(page, 'alpine', 'success');
    await page.waitForFunction(() => [...document.querySelectorAll('#lane-chart rect.bar')].every((bar) => bar.getAttribute('data-phase') === 'success'));
    // the status comes with the event; the findings with the page's next reload (within a second)
    await row(page, 'swr.cn-north-7.myhuaweicloud.com/team/frontend').filter({ hasText: /\d+ vulns|none/ }).waitFor();
    t.pass('the findings of the finished scan');
    t.equal(await page.locator('#counters [data-status="unscan"] b').textContent(), '6');
    t.match(await page.locator('#event-list').textContent(), /team\/frontend: scanning → success/, 'events name the image');

    // a scripted failure, scanned from the page, ends failed
    await page.locator('#script-image').selectOption({ label: 'mysql:8.0.36' });
    await page.locator('#script-outcome').selectOption('failed');
    await page.locator('#script-duration').fill('30000');
    await page.getByRole('button', { name: 'Script it' }).click();
    await page.waitForSelector('#toast:has-text("will end failed")');
    t.same((await emulator.images.list({ project_id: PROJECT_A })).find((i) => i.image_name === 'mysql')!.scan_script, [{ outcome: 'failed', duration_ms: 30_000 }]);
    await row(page, 'mysql').getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Scan selected (1)' }).click();
    await waitForStatus(page, 'mysql', 'scanning');
    await advance(page, '+10 s');
    await waitForStatus(page, 'mysql', 'scanning');
    await advance(page, '+1 min');
    await waitForStatus(page, 'mysql', 'failed');
    t.equal(await statusOf(page, 'mysql').getAttribute('class'), 'status failed');

    // an image's findings, as the vulnerabilities route gives them
    await page.getByRole('button', { name: 'Findings of nginx:1.25.3' }).click();
    await page.waitForSelector('#findings:not([hidden]) #vulns tbody tr');
    t.equal(await page.locator('#vulns tbody tr').count(), 12, "nginx's 12 vulnerabilities");
    t.match(await page.locator('#vulns tbody').textContent(), /CVE-\d{4}-\d+/);
    t.match(await page.locator('#findings-summary').textContent(), /^12 found by the last successful scan .* severity Medium$/);

    // sorted and filtered through the control plane
    await page.locator('#filter-status').selectOption('failed');
    await page.waitForFunction(() => document.querySelectorAll('#images tbody tr').length === 3);
    // "Scan all matching" scans what the filter shows, and nothing else
    await page.getByRole('button', { name: 'Scan all matching' }).click();
    await page.waitForSelector('#toast:has-text("3 scans queued")');
    await page.locator('#filter-status').selectOption('waiting');
    await page.waitForFunction(() => document.querySelector('#page-info')?.textContent === 'No images match');
    await page.getByRole('button', { name: 'Scan all matching' }).click();
    await page.waitForSelector('#toast:has-text("0 scans queued")');
    await advance(page, '+10 min');
    await page.locator('#filter-status').selectOption('');
    await page.locator('#images th[data-sort="image_name"] button').click();
    await page.waitForFunction(() => document.querySelector('#images tbody td.name')?.textContent === 'alpine');
    t.equal(await page.locator('#images th[data-sort="image_name"]').getAttribute('aria-sort'), 'ascending');

    t.same(errors, [], 'no console errors');
  });

  await t.test('a fault shows in the journal, with its request and response', async (t) => {
    const emulator = await startEmulator();
    t.teardown(() => emulator.close());
    const { page, errors } = await open(t, emulator, `?project=${PROJECT_A}`);

    await page.locator('#fault-operation').selectOption('BatchScanLocalImage');
    await page.locator('#fault-status').fill('503');
    await page.locator('#fault-code').fill('HSS.9999');
    await page.getByRole('button', { name: 'Add fault' }).click();
    await page.waitForSelector('#fault-list li[data-fault-id]');
    t.match(await page.locator('#fault-list').textContent(), /BatchScanLocalImage → 503 HSS\.9999/);

    // the user's own code calls the cloud API and meets the fault
    const login = await fetch(`${emulator.url}/v3/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(passwordLogin(ADMIN, PROJECT_A)) });
    const token = login.headers.get('x-subject-token')!;
    const call = await fetch(`${emulator.url}/v5/${PROJECT_A}/image/local/batch-scan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': token },
      body: JSON.stringify({ image_info_list: [{ image_id: 'c499ab72-7ee9-4ee6-b6b7-5973230e7a7b' }] }),
    });
    t.equal(call.status, 503);

    await page.getByRole('button', { name: 'Refresh' }).click();
    const entry = page.locator('#calls tbody tr', { hasText: 'BatchScanLocalImage' });
    await entry.waitFor();
    t.match(await entry.textContent(), /BatchScanLocalImage503HSS\.9999/, 'operation, status and error code');
    t.match(await page.locator('#fault-list').textContent(), /1 hits/, 'the rule counts its hit');
    await entry.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#call-detail:not([hidden])');
    // a fault answers before the body is read: the journal has the call, not its body
    t.match(await page.locator('#call-title').textContent(), new RegExp(`POST /v5/${PROJECT_A}/image/local/batch-scan → 503 HSS\\.9999`), 'the call');
    t.match(await page.locator('#call-request').textContent(), /"request_id": "[0-9a-f]{32}"/, 'the request');
    t.match(await page.locator('#call-response').textContent(), /"error_code": "HSS.9999"/, 'the response body');
    t.notMatch(await page.locator('#call-request').textContent(), new RegExp(token.slice(0, 24)), 'no credentials');
    t.same(errors, []);
  });

  await t.test('1,000 scans changing state cost a bounded number of requests; values stay text', async (t) => {
    const emulator = await startEmulator({ lanes: 8 });
    t.teardown(() => emulator.close());
    const images = Array.from({ length: 1_000 }, (_, i) => ({
      enterprise_project_id: '0',
      image_id: `bulk-${i}`,
      image_name: i === 0 ? '<img src=x onerror="window.hacked=1">' : `registry.example/bulk/app-${i}`,
      image_digest: `sha256:${i.toString(16).padStart(64, '0')}`,
      image_version: 'v1',
      local_image_type: 'other_image' as const,
      image_size: 10_000_000,
      latest_update_time: 1_700_000_000_000 + i,
    }));
    await emulator.projects.create({ project_id: 'bulk', region: 'cn-north-4', images });
    const { page, errors, requests } = await open(t, emulator, '?project=bulk');
    t.equal(await page.locator('#page-info').textContent(), '1–50 of 1,000', 'a page at a time');

    const before = requests.length;
    await page.getByRole('button', { name: 'Scan all matching' }).click();
    await page.waitForSelector('#toast:has-text("1,000 scans queued")');
    for (let i = 0; i < 12; i++) await advance(page, '+10 min');
    await page.waitForFunction(() => document.querySelector('#counters [data-status="success"] b')?.textContent === '1,000', undefined, { timeout: 20_000 });
    // what is still throttled lands within a second or two
    await page.waitForTimeout(2_500);
    const made = requests.slice(before).map((r) => new URL(r.url()).pathname);
    const reloads = made.filter((p) => p.endsWith('/images') || p.endsWith('/scans') || p.endsWith('/requests'));
    t.ok(made.length <= 80, `the page made ${made.length} requests while 3,000 state changes came in (${reloads.length} reloads)`);

    await page.locator('#images th[data-sort="image_name"] button').click();
    await page.waitForSelector('#images tbody td.name button:text-is(\'<img src=x onerror="window.hacked=1">\')');
    t.equal(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked), undefined, 'a name with markup is shown as text');
    t.same(errors, []);
  });

  await t.test('with an admin token: a browser logs in once, then the page and its calls work', async (t) => {
    const emulator = await startEmulator({ admin_token: 'a-long-admin-token-for-the-browser' });
    t.teardown(() => emulator.close());
    const context = await browser.newContext();
    t.teardown(() => context.close());
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const refused = await page.goto(`${emulator.url}/_emulator/ui`);
    t.equal(refused?.status(), 401, 'no token, no page');
    await page.goto(`${emulator.url}/_emulator/login?token=a-long-admin-token-for-the-browser`);
    await page.waitForSelector('body[data-ready="true"]');
    t.equal(new URL(page.url()).pathname, '/_emulator/ui', 'the login leads to the dashboard');
    t.equal(await page.locator('#images tbody tr').count(), 14, 'its calls carry the session');
    const cookies = await context.cookies();
    t.match(cookies, [{ httpOnly: true, sameSite: 'Strict' }]);
    t.notOk(cookies.some((c) => c.value.includes('a-long-admin-token')), 'the cookie is not the token');
    t.same(errors, []);
  });

  await t.test('readable at 900 px and at phone width', async (t) => {
    const emulator = await startEmulator();
    t.teardown(() => emulator.close());
    // a cloud call, so that its long path shows in the journal's detail too
    await fetch(`${emulator.url}/v3/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(passwordLogin(ADMIN, PROJECT_A)) });
    await fetch(`${emulator.url}/v5/${PROJECT_A}/image/local-repositories?limit=200&image_name=${'x'.repeat(200)}`);
    for (const width of [900, 390]) {
      const { page, errors } = await open(t, emulator, `?project=${PROJECT_A}`, width);
      await page.locator('#calls tbody tr').first().click();
      await page.waitForSelector('#call-detail:not([hidden])');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      t.ok(overflow <= 0, `${width} px: nothing wider than the screen (${overflow} px over)`);
      t.ok(await page.getByRole('button', { name: 'Scan all matching' }).isVisible(), `${width} px: the controls are there`);
      if (width === 900) {
        // under the system clock the page's clock ticks by itself
        await page.getByRole('button', { name: 'Switch to system time' }).click();
        await page.waitForSelector('#clock-mode:text-is("system")');
        const shown = await page.locator('#clock-now').textContent();
        await page.waitForFunction((before) => document.querySelector('#clock-now')?.textContent !== before, shown, { timeout: 5_000 });
        t.pass('the clock ticks in system mode');
      }
      t.same(errors, []);
    }
  });
});
