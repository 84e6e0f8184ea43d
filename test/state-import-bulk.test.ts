/**
 * PUT /_emulator/state stages the rows in a scratch database that keeps only the tables and
 * their keys, then moves them in; a table of 10,000 rows or more gets its indexes built once
 * afterwards instead of row by row (src/db/bulk-indexes.ts). Neither may change what an
 * import accepts, refuses, or leaves behind.
 */
import t from 'tap';
import { PROJECT_A, build, expectError } from './helpers/build.js';
import { REBUILD_MIN_ROWS } from '../src/db/bulk-indexes.js';

/** The state as exported, without the tokens (an import ends them all, and the helper then logs in again). */
const stateOf = async (emu: ReturnType<typeof build>) => {
  const { tokens: _tokens, ...tables } = (await emu.control('GET', '/_emulator/state?include_secrets=true')).body.tables;
  return tables;
};
const indexes = (emu: ReturnType<typeof build>) => emu.db.prepare("SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY name").all();

t.test('a row that repeats another key is refused at that row', async (t) => {
  const emu = build(t);
  const state = (await emu.control('GET', '/_emulator/state?include_secrets=true')).body;
  const twice = structuredClone(state);
  twice.tables.images.push({ ...twice.tables.images[0], image_pk: 999_999 });
  const at = twice.tables.images.length - 1;
  await expectError(t, (await emu.control('PUT', '/_emulator/state', twice)).res, 400, 'EMULATOR.0400', new RegExp(`tables\\.images\\[${at}\\]: UNIQUE constraint failed`));
  t.equal((await emu.control('GET', '/_emulator/health')).body.images, 20, 'the state before is untouched');
});

t.test('a big import builds every index and trigger again; a refused one leaves them and the state as they were', async (t) => {
  const source = build(t);
  const insert = source.db.prepare(
    `INSERT INTO images (project_id, enterprise_project_id, image_id, image_name, image_digest, image_version, local_image_type, image_size, latest_update_time)
     VALUES (?, '0', ?, ?, '', '1.0', 'other_image', 1000, ?)`,
  );
  source.db.transaction(() => {
    for (let i = 0; i < REBUILD_MIN_ROWS + 50; i++) insert.run(PROJECT_A, `bulk-${i}`, `swr.example.com/bulk/app-${i}`, i);
  })();
  const state = (await source.control('GET', '/_emulator/state?include_secrets=true')).body;

  const emu = build(t);
  const before = indexes(emu);
  t.equal((await emu.control('PUT', '/_emulator/state', state)).status, 200);
  t.same(indexes(emu), before, 'the same indexes and triggers, from the same SQL');
  t.equal((await emu.control('GET', '/_emulator/health')).body.images, REBUILD_MIN_ROWS + 70);
  const named = await emu.list({ image_name: 'app-10042', limit: 10 });
  t.same(named.body.data_list.map((image) => image.image_name), ['swr.example.com/bulk/app-10042'], 'the name search was filled');
  const unscanned = (await source.list({ scan_status: 'unscan', limit: 10 })).body.total_num;
  t.equal((await emu.list({ scan_status: 'unscan', limit: 10 })).body.total_num, unscanned, 'the status index answers as the source did');
  const { tokens: _tokens, ...tables } = state.tables;
  t.same(await stateOf(emu), tables, 'and exports what it took in');

  const orphan = structuredClone(state);
  orphan.tables.images[orphan.tables.images.length - 1].project_id = 'nowhere';
  await expectError(t, (await emu.control('PUT', '/_emulator/state', orphan)).res, 400, 'EMULATOR.0400', /FOREIGN KEY/);
  t.same(indexes(emu), before, 'a refused import leaves every index');
  t.same(await stateOf(emu), tables, 'and the state it replaced');
});
