/**
 * Bulk work at a size the suite can afford (150,000 images: above the ~125,000 at which
 * spreading an array into push() overflows the call stack): an operate_all batch-scan, a
 * catch-up past every scan's end, a restart with the scans still queued. Each answers 2xx,
 * and a bulk change reaches the event log coalesced, one event per project and transition.
 * Changes this large build the status and scan-time indexes again instead of keeping them up
 * a row at a time: they are there, as defined, afterwards.
 */
import t from 'tap';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { ManualClock } from '../src/clock/clock.js';
import { DETAILED_CHANGES } from '../src/services/scan-events.js';
import { filterConditions, listPageSql, listSource } from '../src/db/image-repository.js';
import { PROJECT_B, T0, testConfig } from './helpers/build.js';

const IMAGES = 150_000;
const HOUR = 3_600_000;

t.test('150,000 images: operate_all, a catch-up past every end, a restart with all of them queued', async (t) => {
  const db = join(t.testdir(), 'bulk.db');
  const config = testConfig({ db, auth: 'off', lanes: 1024, scan_base_ms: 1_000, scan_throughput_mb_s: 0 });
  const clock = new ManualClock(T0);
  const first = buildApp({ config, clock, logger: false });
  const insert = first.db.prepare(
    `INSERT INTO images (project_id, enterprise_project_id, image_id, image_name, image_digest, image_version, local_image_type, image_size, latest_update_time)
     VALUES (?, '0', ?, ?, ?, '1.0', 'other_image', 1000000, ?)`,
  );
  first.db.transaction(() => {
    for (let i = 0; i < IMAGES; i++) insert.run(PROJECT_B, `bulk-${i}`, `swr.example.com/bulk/app-${i}`, `sha256:${i.toString(16).padStart(64, '0')}`, T0 - i);
  })();
  const inject = (app: typeof first.app, method: 'GET' | 'POST', url: string, payload?: object) => app.inject({ method, url, ...(payload ? { payload } : {}) });
  const total = async (app: typeof first.app, status: string) =>
    (await inject(app, 'GET', `/v5/${PROJECT_B}/image/local-repositories?scan_status=${status}&limit=10`)).json().total_num as number;
  const scanAll = `/v5/${PROJECT_B}/image/local/batch-scan`;
  const indexes = (app: typeof first) => app.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").all();
  const defined = indexes(first);
  t.ok(defined.some((index) => (index as { name: string }).name === 'images_by_status_update'));

  const scan = await inject(first.app, 'POST', scanAll, { operate_all: true });
  t.equal(scan.statusCode, 200, scan.body);
  t.equal(scan.headers['x-emulator-matched'], String(IMAGES + 4), 'every image of the project, the fixtures too');
  t.ok((await total(first.app, 'waiting_for_scan')) > IMAGES - 2_000, 'most are queued; 1,024 lanes took the first');

  clock.advance(HOUR); // 1,024 lanes, a second each: all end within three minutes
  t.equal(await total(first.app, 'success'), IMAGES + 4, 'the request that catches up answers: every scan ended');
  const logged = first.services.eventLog.since(0, PROJECT_B, 100).map((row) => JSON.parse(row.event));
  t.ok(logged.length < 20, `a bulk change is a few events (${logged.length}), not one per image`);
  t.equal(logged.filter((e) => e.to === 'success').reduce((sum, e) => sum + (e.count ?? 1), 0), IMAGES + 4, 'their counts add up');
  t.ok(logged.every((e) => e.image_id === undefined && e.count > 0), 'coalesced: a count instead of an image id');
  t.ok(DETAILED_CHANGES < IMAGES);
  t.same(indexes(first), defined, 'every index is there, as defined, after the bulk start and the bulk catch-up');
  const lanes = await inject(first.app, 'GET', `/_emulator/projects/${PROJECT_B}/scans?limit=5`);
  t.equal(lanes.statusCode, 200, lanes.body);
  t.same(lanes.json().in_flight, [], 'no scan is left in flight');
  t.ok(lanes.json().done.length === 5 && lanes.json().done.every((scan: { phase: string }) => scan.phase === 'done'), 'the latest are done');
  const byStatus = filterConditions({ projectId: PROJECT_B, enterpriseProjects: ['0'] }, { scan_status: 'success' });
  const plan = first.db.prepare(`EXPLAIN QUERY PLAN ${listPageSql(listSource({}), byStatus.where)}`).all({ ...byStatus.params, limit: 10, offset: 0 });
  t.match(JSON.stringify(plan), /USING (COVERING )?INDEX images_by_status_update/, 'and a status page comes off it');

  t.equal((await inject(first.app, 'POST', scanAll, { operate_all: true })).statusCode, 200, 'all of them again');
  await first.app.close();

  const second = buildApp({ config: testConfig({ ...config, clock_start: T0 + 21 * HOUR }), logger: false });
  t.teardown(() => second.app.close());
  t.equal((await inject(second.app, 'GET', '/_emulator/health')).statusCode, 200, 'healthy after a restart 20 hours later');
  t.equal(await total(second.app, 'success'), IMAGES + 4, 'the queued scans concluded');
  t.equal(await total(second.app, 'waiting_for_scan'), 0);
  t.same(indexes(second), defined, "and after the restart's catch-up");
});
