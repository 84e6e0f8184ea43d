/** GET/PUT /_emulator/state: a snapshot that restores exactly. */
import t from 'tap';
import { ADMIN, AGENT_IMAGE, PROJECT_A, build, expectError, imageIn, issueToken, started } from './helpers/build.js';
import { MIGRATIONS } from '../src/db/migrations.js';

t.test('export, reset, import, export: identical, and the restored world works', async (t) => {
  const emu = build(t);
  const token = await issueToken(emu.app, ADMIN, PROJECT_A);
  await emu.batchScan({ operate_all: true }, { enterprise_project_id: 'all_granted_eps' });
  await emu.control('POST', `/_emulator/images/${AGENT_IMAGE}/script`, [{ outcome: 'failed' }, { outcome: 'success' }]);
  emu.clock.advance(1_000);
  await emu.list();

  const first = await emu.control('GET', '/_emulator/state?include_secrets=true');
  t.equal(first.status, 200);
  t.equal(first.body.schema_version, MIGRATIONS.length);
  t.ok(first.body.tables.scans.length > 0 && first.body.tables.tokens.length > 0 && first.body.tables.scan_scripts.length === 2);

  await emu.control('POST', '/_emulator/reset', { fixtures: false });
  t.equal((await emu.control('PUT', '/_emulator/state', first.body)).status, 200);
  const second = await emu.control('GET', '/_emulator/state?include_secrets=true');
  t.equal(second.res.body, first.res.body, 'byte for byte');

  const res = await emu.app.inject({ method: 'GET', url: `/v5/${PROJECT_A}/image/local-repositories`, headers: { 'x-auth-token': token } });
  t.equal(res.statusCode, 200, 'the token works again');
  emu.clock.advance(60_000);
  t.equal(imageIn((await emu.list()).body, AGENT_IMAGE)?.scan_status, 'success', 'scans in flight go on');
});

t.test('a state that does not fit is refused whole', async (t) => {
  const emu = build(t);
  const state = (await emu.control('GET', '/_emulator/state')).body;
  const images = () => emu.control('GET', '/_emulator/health').then((r) => r.body.images);
  await expectError(t, (await emu.control('PUT', '/_emulator/state', { ...state, schema_version: 1 })).res, 400, 'EMULATOR.0400', /schema_version 1/);
  await expectError(t, (await emu.control('PUT', '/_emulator/state', { ...state, tables: { ...state.tables, secrets: [] } })).res, 400, 'EMULATOR.0400', /unknown table secrets/);
  const badColumn = structuredClone(state);
  badColumn.tables.images[0].colour = 'red';
  await expectError(t, (await emu.control('PUT', '/_emulator/state', badColumn)).res, 400, 'EMULATOR.0400', /tables\.images\[0\]: unknown column colour/);
  const orphan = structuredClone(state);
  orphan.tables.images[0].project_id = 'nowhere';
  await expectError(t, (await emu.control('PUT', '/_emulator/state', orphan)).res, 400, 'EMULATOR.0400', /FOREIGN KEY/);
  const missing = structuredClone(state);
  delete missing.tables.images[0].image_name;
  await expectError(t, (await emu.control('PUT', '/_emulator/state', missing)).res, 400, 'EMULATOR.0400', /tables\.images\[0\]\.image_name is required/);
  t.equal(await images(), 20, 'the state before is untouched');
});

t.test('over a real socket with startEmulator: snapshot one emulator, restore into another', async (t) => {
  const a = await started(t, { auth: 'off', scan_base_ms: 0 });
  await a.call('POST', `/v5/${PROJECT_A}/image/local/batch-scan`, { operate_all: true });
  const snapshot = await a.call('GET', '/_emulator/state');
  const b = await started(t);
  t.equal((await b.call('PUT', '/_emulator/state', snapshot.body)).status, 200);
  t.same((await b.call('GET', '/_emulator/state')).body, snapshot.body);
});
