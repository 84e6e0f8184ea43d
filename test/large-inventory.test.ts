/**
 * With a large inventory and a few scans in flight, a request only touches the scans that
 * changed: catching up writes O(changed) rows, and the queries run on indexes.
 */
import t from 'tap';
import { AGENT_IMAGE, PROJECT_A, build, imageIn } from './helpers/build.js';
import { InventoryWriter } from '../src/db/inventory-writer.js';
import {
  LIST_ROWS_SQL, filterConditions, identityConditions, imageIdConditions, listCountSql, listPageSql, listSource, matchingIdentitySql, matchingImageIdsSql,
} from '../src/db/image-repository.js';
import { DUE, LANE_BUSY_SQL } from '../src/db/scan-repository.js';

const INVENTORY = 30_000;

function addImages(db: ReturnType<typeof build>['db'], count: number): void {
  const writer = new InventoryWriter(db);
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      writer.addImage({
        project_id: PROJECT_A,
        enterprise_project_id: '0',
        image_id: `bulk-${i}`,
        image_name: `registry.example.com/bulk/app-${i}`,
        image_digest: `sha256:${i.toString(16).padStart(64, '0')}`,
        image_version: '1.0.0',
        local_image_type: 'other_image',
        image_size: 50_000_000 + i,
        latest_update_time: 1_700_000_000_000 + i,
        non_scan_reason: '',
        scan_status: i % 2 ? 'success' : 'unscan',
        latest_scan_time: 0,
        scan_failed_desc: '',
        severity_level: '',
        vul_num: i % 7,
        unsafe_setting_num: 0,
        malicious_file_num: 0,
        component_num: 0,
        scan_rule: undefined,
        vulnerabilities: null,
        host_pks: [],
        containers: [],
        apps: [],
      });
    }
  })();
}

const totalChanges = (db: ReturnType<typeof build>['db']) => db.prepare('SELECT total_changes() AS n').get() as { n: number };

t.test('a list request after scans end writes only the changed scans and their images', async (t) => {
  const emu = build(t, { scan_base_ms: 1_000, scan_throughput_mb_s: 0 });
  addImages(emu.db, INVENTORY);
  const res = await emu.batchScan({ image_info_list: [{ image_id: AGENT_IMAGE }, { image_id: 'bulk-7' }, { image_id: 'bulk-8' }] });
  t.equal(res.headers['x-emulator-matched'], '3');

  const before = totalChanges(emu.db).n;
  const idle = await emu.list();
  t.equal(idle.res.statusCode, 200);
  t.equal(totalChanges(emu.db).n - before, 0, 'nothing due: nothing written');

  emu.clock.advance(1_000);
  const mark = totalChanges(emu.db).n;
  const { body } = await emu.list({ limit: 200 });
  t.equal(totalChanges(emu.db).n - mark, 9, 'three images, their three scans and the three events in the replay buffer, out of 30,000 images');
  t.equal(body.total_num, INVENTORY + 10);
  t.equal(imageIn(body, AGENT_IMAGE)?.scan_status, 'success');
  const bulk = await emu.list({ image_size: 50_000_008 });
  t.match(bulk.body.data_list, [{ image_id: 'bulk-8', scan_status: 'success' }]);
});

t.test('the statements the repositories run use their indexes', async (t) => {
  const emu = build(t);
  addImages(emu.db, 1_000);
  const plan = (sql: string, params: Record<string, unknown> | unknown[] = {}) =>
    (emu.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join(' | ');
  const scope = { projectId: PROJECT_A, enterpriseProjects: ['0'] };
  t.match(plan(`SELECT count(*) ${DUE}`, { now: 5 }), /USING (COVERING )?INDEX scans_due/);
  t.match(plan(LANE_BUSY_SQL, ['p']), /USING INDEX scans_in_flight/);

  const unfiltered = filterConditions(scope, {});
  const page = plan(listPageSql(listSource({}), unfiltered.where), { ...unfiltered.params, limit: 10, offset: 0 });
  t.match(page, /USING (COVERING )?INDEX images_by_(update|scope)/);
  t.notMatch(page, /TEMP B-TREE FOR ORDER BY/, 'pages come off the index in order, no sort of the whole project');
  const byStatus = filterConditions(scope, { scan_status: 'success' });
  t.match(plan(listCountSql(listSource({}), byStatus.where), byStatus.params), /USING (COVERING )?INDEX images_by_(status|scope)/);
  const statusPage = plan(listPageSql(listSource({}), byStatus.where), { ...byStatus.params, limit: 10, offset: 0 });
  t.match(statusPage, /USING (COVERING )?INDEX images_by_status_update/, statusPage);
  t.notMatch(statusPage, /TEMP B-TREE/, 'a status page comes off its index in order');
  const byName = { image_name_contains: 'app-12' };
  const named = filterConditions(scope, byName);
  const namePage = plan(listPageSql(listSource(byName), named.where), { ...named.params, limit: 10, offset: 0 });
  t.match(namePage, /^SCAN n VIRTUAL TABLE INDEX \d+:G/, `a name substring starts from the trigram index: ${namePage}`);
  t.match(namePage, /SEARCH i USING INTEGER PRIMARY KEY/);
  // a page's rows with their hosts: each image, host and count a look-up by key
  const rows = plan(LIST_ROWS_SQL, ['[1,2,3]']);
  for (const lookUp of ['SEARCH i USING INTEGER PRIMARY KEY', 'SEARCH h USING INTEGER PRIMARY KEY', 'SEARCH fih USING PRIMARY KEY (image_pk=?)',
    'SEARCH ih USING PRIMARY KEY (image_pk=?)', 'SEARCH c USING COVERING INDEX containers_by_image (image_pk=?)']) {
    t.ok(rows.includes(lookUp), `${lookUp}: ${rows}`);
  }
  t.notMatch(rows, /SCAN (i|h|fh|fih|ih|c)\b/, 'no walk of a table');

  // batch-scan by identity: each item is an index look-up, never a walk of the project
  for (const [field, index] of [['image_id', '(sqlite_autoindex_images_1|images_by_image_id)'], ['image_digest', 'images_by_digest'], ['image_name', 'images_by_name']] as const) {
    const where = identityConditions(scope, { [field]: 'x' });
    const identity = plan(matchingIdentitySql(where.where), where.params);
    t.match(identity, new RegExp(`USING INDEX ${index}`), `${field}: ${identity}`);
    t.notMatch(identity, /SCAN i\b|TEMP B-TREE/, `${field}: no scan, no sort`);
  }
  // items naming images by id alone: one statement, a look-up per id
  const byIds = imageIdConditions(scope, ['bulk-1', 'bulk-2']);
  const ids = plan(matchingImageIdsSql(byIds.where), byIds.params);
  t.match(ids, /SEARCH i USING INDEX (sqlite_autoindex_images_1|images_by_image_id) \((project_id=\? AND )?image_id=\?\)/, ids);
  t.notMatch(ids, /SCAN i\b/, `no walk of the project: ${ids}`);
});
