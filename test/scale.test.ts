/**
 * Bulk work at a size the suite can afford (150,000 images: above the ~125,000 at which
 * spreading an array into push() overflows the call stack): an operate_all batch-scan, a
 * catch-up past every scan's end, a restart with the scans still queued. Each answers 2xx,
 * and a bulk change reaches the event log coalesced, one event per project and transition.
 */
import t from 'tap';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { ManualClock } from '../src/clock/clock.js';
import { InventoryWriter } from '../src/db/inventory-writer.js';
import { DETAILED_CHANGES } from '../src/services/scan-events.js';
import { PROJECT_B, T0, build, testConfig } from './helpers/build.js';

const IMAGES = 150_000;
const HOUR = 3_600_000;

function seed(db: ReturnType<typeof buildApp>['db']): void {
  const writer = new InventoryWriter(db);
  db.transaction(() => {
    for (let i = 0; i < IMAGES; i++) {
      writer.addImage({
        project_id: PROJECT_B, enterprise_project_id: '0', image_id: `bulk-${i}`, image_name: `swr.example.com/bulk/app-${i}`,
        image_digest: `sha256:${i.toString(16).padStart(64, '0')}`, image_version: '1.0', local_image_type: 'other_image',
        image_size: 1_000_000, latest_update_time: T0 - i, non_scan_reason: '', scan_status: 'unscan',
        latest_scan_time: 0, scan_failed_desc: '', severity_level: '', vul_num: 0, unsafe_setting_num: 0, malicious_file_num: 0,
        component_num: 0, scan_rule: undefined, host_pks: [], containers: [], apps: [],
      });
    }
  })();
}

t.test('operate_all over 150,000 images, then a catch-up past every end: 2xx, coalesced events', async (t) => {
  const emu = build(t, { lanes: 1024, scan_base_ms: 1_000, scan_throughput_mb_s: 0 });
  seed(emu.db);
  const scan = await emu.batchScan({ operate_all: true }, {}, PROJECT_B);
  t.equal(scan.statusCode, 200, scan.body);
  t.equal(scan.headers['x-emulator-matched'], String(IMAGES + 4), 'every image of the project, the fixtures too');
  const queued = await emu.list({ scan_status: 'waiting_for_scan', limit: 10 }, PROJECT_B);
  t.equal(queued.res.statusCode, 200);
  t.ok(queued.body.total_num > IMAGES - 2_000, `most are queued (${queued.body.total_num}); 1,024 lanes took the first`);

  emu.clock.advance(HOUR); // 1,024 lanes, a second each: all end within three minutes
  const done = await emu.list({ scan_status: 'success', limit: 10 }, PROJECT_B);
  t.equal(done.res.statusCode, 200, 'the request that catches up answers');
  t.equal(done.body.total_num, IMAGES + 4, 'every scan ended');

  const logged = emu.services.eventLog.since(0, PROJECT_B, 100).map((row) => JSON.parse(row.event));
  t.ok(logged.length < 20, `a bulk change is a few events (${logged.length}), not one per image`);
  const toSuccess = logged.filter((e) => e.to === 'success').reduce((sum, e) => sum + (e.count ?? 1), 0);
  t.equal(toSuccess, IMAGES + 4, 'their counts add up');
  t.ok(logged.every((e) => e.image_id === undefined && e.count > 0), 'coalesced: a count instead of an image id');
  t.ok(DETAILED_CHANGES < IMAGES);
});

t.test('a restart 20 hours later with 150,000 scans still queued comes up healthy and concludes them', async (t) => {
  const db = join(t.testdir(), 'queued.db');
  const first = buildApp({ config: testConfig({ db, lanes: 1, scan_base_ms: 1_000, scan_throughput_mb_s: 0, auth: 'off' }), clock: new ManualClock(T0), logger: false });
  seed(first.db);
  const scan = await first.app.inject({ method: 'POST', url: `/v5/${PROJECT_B}/image/local/batch-scan`, payload: { operate_all: true } });
  t.equal(scan.statusCode, 200);
  await first.app.close();

  // one lane, a second each: the last of them ends 41 hours on; 20 hours later, half are done
  const second = buildApp({ config: testConfig({ db, clock_start: T0 + 20 * HOUR, lanes: 1, auth: 'off' }), logger: false });
  t.teardown(() => second.app.close());
  const health = await second.app.inject({ method: 'GET', url: '/_emulator/health' });
  t.equal(health.statusCode, 200, 'healthy');
  const list = async (status: string) =>
    (await second.app.inject({ method: 'GET', url: `/v5/${PROJECT_B}/image/local-repositories?scan_status=${status}&limit=10` })).json().total_num as number;
  const finished = (await list('success')) + (await list('failed'));
  t.ok(finished > 70_000 && finished < 75_000, `the scans whose end passed concluded (${finished})`);
  t.equal(await list('scanning'), 1, 'one on the lane');
  t.equal(finished + 1 + (await list('waiting_for_scan')), IMAGES + 4, 'the rest wait their turn');
});
