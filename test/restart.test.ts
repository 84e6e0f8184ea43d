/** A file database keeps every scan plan: a restart loses nothing and the scan ends as planned. */
import t from 'tap';
import { join } from 'node:path';
import { AGENT_IMAGE, T0, build, imageIn } from './helpers/build.js';
import { openDatabase, schemaVersion } from '../src/db/database.js';
import { MIGRATIONS } from '../src/db/migrations.js';

t.test('start a scan, close, reopen, advance: the scan ends when planned', async (t) => {
  const db = join(t.testdir(), 'hss.db');
  const first = build(t, { db });
  t.equal((await first.batchScan({ image_info_list: [{ image_id: AGENT_IMAGE }] })).statusCode, 200);
  t.equal(imageIn((await first.list()).body, AGENT_IMAGE)?.scan_status, 'scanning');
  await first.app.close();

  const second = build(t, { db });
  t.equal(imageIn((await second.list()).body, AGENT_IMAGE)?.scan_status, 'scanning', 'still in flight after the restart');
  second.clock.advance(2_930);
  t.match(imageIn((await second.list()).body, AGENT_IMAGE), { scan_status: 'success', latest_scan_time: T0 + 2_930 });
  await second.app.close();

  const third = build(t, { db });
  t.match(imageIn((await third.list()).body, AGENT_IMAGE), { scan_status: 'success', latest_scan_time: T0 + 2_930 });
  t.equal((await third.list({ enterprise_project_id: 'all_granted_eps' })).body.total_num, 14, 'the world was loaded once, not again');
});

t.test('a file database uses WAL and records its schema version', async (t) => {
  const path = join(t.testdir(), 'fresh.db');
  const db = openDatabase(path);
  t.teardown(() => db.close());
  t.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  t.equal(schemaVersion(db), MIGRATIONS.length);
});

t.test('a database from a newer emulator is refused', async (t) => {
  const path = join(t.testdir(), 'future.db');
  const db = openDatabase(path);
  db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
  db.close();
  t.throws(() => openDatabase(path), /newer than this hss-emulator/);
});
