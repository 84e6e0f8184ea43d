/**
 * A change to most images builds their status and scan-time indexes again instead of keeping
 * them up row by row (src/db/bulk-indexes.ts), and so does a batch of scan plans as big as the
 * scans table. Inside the request's transaction: a failure part-way leaves the rows and the
 * indexes as they were.
 */
import t from 'tap';
import { BulkIndexes, REBUILD_MIN_ROWS, SCAN_STATE_INDEXES } from '../src/db/bulk-indexes.js';
import { PROJECT_A, addPlainImages, build } from './helpers/build.js';


t.test('a bulk change that fails part-way leaves the rows and the indexes as they were', async (t) => {
  const emu = build(t);
  const { db } = emu;
  const images = REBUILD_MIN_ROWS + 100;
  addPlainImages(db, images);
  const indexes = () => db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").all();
  const statuses = () => db.prepare('SELECT scan_status, count(*) AS n FROM images GROUP BY 1 ORDER BY 1').all();
  const before = { indexes: indexes(), statuses: statuses() };
  const bulk = new BulkIndexes(db, 'images', SCAN_STATE_INDEXES);
  t.ok(bulk.worthRebuilding(images), 'every image: rebuilt');
  t.notOk(bulk.worthRebuilding(images / 4), 'a quarter of them: kept up row by row');
  t.notOk(bulk.worthRebuilding(REBUILD_MIN_ROWS - 1), 'too few to matter');

  let dropped = false;
  t.throws(
    () =>
      db.transaction(() =>
        bulk.around(images, (told) => {
          db.prepare("UPDATE images SET scan_status = 'waiting'").run();
          dropped = told && indexes().length < before.indexes.length;
          throw new Error('the disk is full');
        }),
      )(),
    /the disk is full/,
  );
  t.ok(dropped, 'the indexes were dropped during the change, and the change was told so');
  const small = db.transaction(() => bulk.around(images / 4, (told) => told))();
  t.equal(small, false, 'a smaller change keeps them, and is told so');
  t.same(indexes(), before.indexes, 'and are back, as defined, after the rollback');
  t.same(statuses(), before.statuses, 'no row changed');
  t.throws(() => bulk.around(images, () => undefined), /inside a transaction/, 'never outside a transaction: a drop would stick');

  const { body } = await emu.list({ scan_status: 'unscan', limit: 10 });
  const unscanned = db.prepare("SELECT count(*) FROM images WHERE project_id = ? AND enterprise_project_id = '0' AND scan_status = 'unscan'").pluck().get(PROJECT_A) as number;
  t.ok(unscanned >= images);
  t.equal(body.total_num, unscanned, 'the list still finds them all by status');
});

t.test('an operate_all bigger than the scans table builds the scans indexes once, and they answer as before', async (t) => {
  const emu = build(t, { scan_base_ms: 1_000, scan_throughput_mb_s: 0 });
  const { db } = emu;
  const images = REBUILD_MIN_ROWS + 100;
  addPlainImages(db, images);
  const indexes = () => db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'scans' ORDER BY name").all();
  const before = indexes();
  t.equal(before.length, 3, 'the scans table has three indexes');

  const scan = await emu.batchScan({ operate_all: true });
  t.equal(scan.statusCode, 200);
  const started = Number(scan.headers['x-emulator-matched']);
  t.ok(started >= images, `${started} scans started`);
  t.same(indexes(), before, 'the scans indexes are there after it, as defined');

  const lanes = await emu.control('GET', `/_emulator/projects/${PROJECT_A}/scans?limit=5`);
  t.equal(lanes.body.in_flight.length, 5, 'the lane view finds the scans in flight');
  t.equal(lanes.body.in_flight[0].phase, 'scanning', 'soonest to change first');
  const lanesCount = lanes.body.lanes as number;
  t.equal((await emu.control('POST', '/_emulator/clock', { advance_ms: 1_000 })).status, 200);
  t.equal((await emu.list({ scan_status: 'success' })).body.total_num, lanesCount, 'one second later, one scan a lane has succeeded');
  t.equal((await emu.control('POST', '/_emulator/clock', { advance_ms: started * 1_000 })).status, 200);
  const { counts } = (await emu.control('GET', `/_emulator/projects/${PROJECT_A}/images`)).body;
  t.match(counts, { waiting: 0, scanning: 0 }, 'in the end every scan has ended');
  t.ok(counts.success >= images, `${counts.success} succeeded (the fixtures' rules fail a few)`);
  t.equal(db.prepare('SELECT count(*) FROM scans WHERE next_change_at IS NOT NULL').pluck().get(), 0, 'none left in flight');
});
