/**
 * Finished scans are history (an image's state is on its own row), kept for the lane view:
 * however many scans an emulator runs, it keeps each project's newest LANE_VIEW_MAX finished
 * ones and forgets older ones, a trim at a time (ScanRepository.storingMany), so a long run
 * of batch-scans does not grow the database, or an in-memory one's RSS, without bound.
 */
import t from 'tap';
import { HISTORY_TRIM_MIN } from '../src/db/scan-repository.js';
import { LANE_VIEW_MAX } from '../schemas/control.js';
import { PROJECT_A, PROJECT_B, addPlainImages, build } from './helpers/build.js';


t.test('repeated scans keep each project its newest finished scans, and the lane view shows the same', async (t) => {
  const emu = build(t, { scan_base_ms: 1_000, scan_throughput_mb_s: 0, lanes: 1_000 });
  const perRound = HISTORY_TRIM_MIN / 4;
  addPlainImages(emu.db, perRound, PROJECT_A, 'history');
  const rows = () => emu.db.prepare('SELECT count(*) FROM scans').pluck().get() as number;
  const finishedOf = (projectId: string) =>
    emu.db.prepare('SELECT count(*) FROM scans WHERE next_change_at IS NULL AND project_id = ?').pluck().get(projectId) as number;
  const laneView = async (projectId: string) => (await emu.control('GET', `/_emulator/projects/${projectId}/scans?limit=${LANE_VIEW_MAX}`)).body;
  let perRoundStored = 0;
  const round = async () => {
    const scan = await emu.batchScan({ operate_all: true });
    t.equal(scan.statusCode, 200);
    perRoundStored = Number(scan.headers['x-emulator-matched']);
    t.equal((await emu.control('POST', '/_emulator/clock', { advance_ms: 60_000 })).status, 200, 'every scan ends');
  };
  // project B's few scans, finished before project A's many: a trim keeps them too
  t.equal((await emu.batchScan({ operate_all: true }, {}, PROJECT_B)).statusCode, 200);
  await round();
  const projectB = (await laneView(PROJECT_B)).done;
  t.ok(projectB.length > 0, `project B: ${projectB.length} finished scans`);

  // rounds until the next one stores the scans that reach the trim's threshold (nothing trimmed yet: every scan is a row)
  while (rows() + perRoundStored < HISTORY_TRIM_MIN) await round();
  t.ok(rows() < HISTORY_TRIM_MIN, `${rows()} scans stored so far`);
  const before = await laneView(PROJECT_A);
  t.equal(before.done.length, LANE_VIEW_MAX, 'the lane view shows as many finished scans as it may');
  // this round stores the scans that reach the threshold: the history is trimmed in its request
  t.equal((await emu.batchScan({ operate_all: true })).statusCode, 200);
  const inFlight = emu.db.prepare('SELECT count(*) FROM scans WHERE next_change_at IS NOT NULL').pluck().get() as number;
  t.ok(inFlight >= perRound, `${inFlight} scans in flight, kept`);
  t.equal(finishedOf(PROJECT_A), LANE_VIEW_MAX, "project A keeps its newest finished scans, as many as the lane view shows");
  t.equal(rows(), inFlight + LANE_VIEW_MAX + projectB.length, 'and nothing else is left of the history');
  const after = await laneView(PROJECT_A);
  t.same(after.done, before.done, 'the lane view shows the same finished scans as before the trim');
  t.same((await laneView(PROJECT_B)).done, projectB, "and another project's");

  t.equal((await emu.control('POST', '/_emulator/clock', { advance_ms: 60_000 })).status, 200);
  const { counts } = (await emu.control('GET', `/_emulator/projects/${PROJECT_A}/images?limit=1`)).body;
  t.match(counts, { waiting: 0, scanning: 0 }, 'the scans in flight at the trim still conclude');
  t.ok(counts.success >= perRound, `${counts.success} images scanned successfully`);
});
