/** SQL for scan plans: store them, find the ones whose phase has changed, lane occupancy. */
import type { Db } from './database.js';
import { BulkIndexes, IN_FLIGHT_INDEXES } from './bulk-indexes.js';
import { MultiRowInsert } from './multi-row-insert.js';
import { statusAfter, type ImageScanStatus, type ScanOutcome, type ScanPhase } from '../domain/scan-lifecycle.js';
import type { ScanResult, ScanScriptStep } from '../domain/scan-outcome.js';
import { LANE_VIEW_MAX } from '../../schemas/control.js';

export interface NewScan {
  image_pk: number;
  project_id: string;
  lane: number;
  requested_at: number;
  start_at: number;
  end_at: number;
  outcome: ScanOutcome;
  scan_failed_desc: string;
  result: ScanResult;
  /** the phase it is in when requested (a scan of 0 ms on a free lane is done at once) */
  phase: ScanPhase;
  /** when that phase changes, or null: done */
  next_change_at: number | null;
}

export interface ScanRow extends Omit<NewScan, 'result'> {
  scan_id: number;
  image_id: string;
  image_name: string;
  result: string;
}

/** A scan as the control plane's lane view shows it. */
export interface LaneScan {
  scan_id: number;
  image_id: string;
  image_name: string;
  lane: number;
  requested_at: number;
  start_at: number;
  end_at: number;
  outcome: ScanOutcome;
  phase: ScanPhase;
}

const LANE_SCAN_COLUMNS = 's.scan_id, i.image_id, i.image_name, s.lane, s.requested_at, s.start_at, s.end_at, s.outcome, s.phase';

/** Due scans that make the same transitions, counted (for a bulk catch-up). */
export interface DueGroup {
  project_id: string;
  phase: ScanPhase;
  outcome: ScanOutcome;
  start_at: number;
  end_at: number;
  count: number;
}

/** Unfinished scans whose phase changes at or before :now (the partial index scans_due). */
export const DUE = 'FROM scans s INDEXED BY scans_due WHERE s.next_change_at IS NOT NULL AND s.next_change_at <= :now';

/** What a finished scan writes to its image (`s`: the scan). */
const CONCLUSION = `
  scan_status = CASE s.outcome WHEN 'success' THEN 'success' ELSE 'failed' END,
  latest_scan_time = s.end_at, scan_failed_desc = s.scan_failed_desc,
  vul_num = s.result ->> '$.vul_num', severity_level = s.result ->> '$.severity_level',
  component_num = s.result ->> '$.component_num', unsafe_setting_num = s.result ->> '$.unsafe_setting_num',
  malicious_file_num = s.result ->> '$.malicious_file_num',
  vulnerabilities = s.result -> '$.vulnerabilities'`;

/**
 * Finished scans to forget: all but each project's newest LANE_VIEW_MAX, the most the lane view
 * shows (an image's state is on its own row; a finished scan is only history).
 */
const FORGET_OLD_SCANS_SQL = `
  DELETE FROM scans WHERE next_change_at IS NULL AND scan_id NOT IN (
    SELECT scan_id FROM (
      SELECT scan_id, row_number() OVER (PARTITION BY project_id ORDER BY scan_id DESC) AS newer
      FROM scans WHERE next_change_at IS NULL)
    WHERE newer <= ${LANE_VIEW_MAX})`;

/** Scans stored between two trims of the history at least: each trim reads the whole table. */
export const HISTORY_TRIM_MIN = 10_000;

/** When each lane of a project is free again (exported for its query-plan test). */
export const LANE_BUSY_SQL = `
  SELECT lane, max(end_at) AS free_at FROM scans INDEXED BY scans_in_flight
  WHERE next_change_at IS NOT NULL AND project_id = ? GROUP BY lane`;

export class ScanRepository {
  readonly #insert;
  readonly #due;
  readonly #countDue;
  readonly #dueGroups;
  readonly #concludeImages;
  readonly #concludeImage;
  readonly #startImages;
  readonly #advanceScans;
  readonly #advanceAllScans;
  readonly #inFlightIndexes;
  readonly #planIndexes;
  readonly #laneBusy;
  readonly #nextChange;
  readonly #firstStep;
  readonly #dropStep;
  readonly #script;
  readonly #clearScript;
  readonly #addStep;
  readonly #scripted;
  readonly #inFlight;
  readonly #recentlyDone;
  readonly #forgetOldScans;
  readonly #countScans;
  /** scans stored since the history was last trimmed, and how many may be before the next trim */
  #storedSinceTrim = 0;
  #trimAfter = HISTORY_TRIM_MIN;

  constructor(db: Db) {
    this.#insert = new MultiRowInsert<NewScan>(
      db,
      'INSERT INTO scans (image_pk, project_id, lane, requested_at, start_at, end_at, outcome, scan_failed_desc, result, phase, next_change_at)',
      11,
      (s) => [s.image_pk, s.project_id, s.lane, s.requested_at, s.start_at, s.end_at, s.outcome, s.scan_failed_desc, JSON.stringify(s.result), s.phase, s.next_change_at],
    );
    this.#due = db.prepare<[number], ScanRow>(`
      SELECT s.*, i.image_id, i.image_name FROM scans s INDEXED BY scans_due JOIN images i ON i.image_pk = s.image_pk
      WHERE s.next_change_at IS NOT NULL AND s.next_change_at <= ? ORDER BY s.next_change_at, s.scan_id`);
    // LIMIT +:limit: planned once, not at every run (see PAGE_CLAUSE)
    this.#countDue = db.prepare<{ now: number; limit: number }, number>(`SELECT count(*) FROM (SELECT 1 ${DUE} LIMIT +:limit)`).pluck();
    this.#dueGroups = db.prepare<{ now: number }, DueGroup>(`
      SELECT s.project_id, s.phase, s.outcome, max(s.start_at) AS start_at, max(s.end_at) AS end_at, count(*) AS count
      ${DUE} GROUP BY s.project_id, s.phase, s.outcome, s.start_at <= :now, s.end_at <= :now`);
    // The writes of a catch-up, whatever its size: finished scans conclude their images,
    // started ones mark theirs scanning, then every due scan records its new phase.
    this.#concludeImages = db.prepare<{ now: number }>(`
      UPDATE images SET ${CONCLUSION} ${DUE} AND s.end_at <= :now AND s.image_pk = images.image_pk`);
    this.#concludeImage = db.prepare<[ImageScanStatus, number, string, number, string, number, number, number, string | null, number]>(`
      UPDATE images SET scan_status = ?, latest_scan_time = ?, scan_failed_desc = ?, vul_num = ?, severity_level = ?,
        component_num = ?, unsafe_setting_num = ?, malicious_file_num = ?, vulnerabilities = ?
      WHERE image_pk = ?`);
    this.#startImages = db.prepare<{ now: number }>(`
      UPDATE images SET scan_status = 'scanning'
      ${DUE} AND s.start_at <= :now AND s.end_at > :now AND s.image_pk = images.image_pk`);
    const advance = (scans: string) => `
      UPDATE ${scans} SET
        phase = CASE WHEN end_at <= :now THEN 'done' WHEN start_at <= :now THEN 'scanning' ELSE phase END,
        next_change_at = CASE WHEN end_at <= :now THEN NULL WHEN start_at <= :now THEN end_at ELSE start_at END
      WHERE next_change_at IS NOT NULL AND next_change_at <= :now`;
    this.#advanceScans = db.prepare<{ now: number }>(advance('scans INDEXED BY scans_due'));
    // for when scans_due is being built again (see applyDue): one pass over the table
    this.#advanceAllScans = db.prepare<{ now: number }>(advance('scans'));
    this.#inFlightIndexes = new BulkIndexes(db, 'scans', IN_FLIGHT_INDEXES);
    this.#planIndexes = new BulkIndexes(db, 'scans', [...IN_FLIGHT_INDEXES, 'scans_by_image']);
    this.#firstStep = db.prepare<[number], { seq: number; step: string }>('SELECT seq, step FROM scan_scripts WHERE image_pk = ? ORDER BY seq LIMIT 1');
    this.#dropStep = db.prepare('DELETE FROM scan_scripts WHERE image_pk = ? AND seq = ?');
    this.#script = db.prepare<[number], string>('SELECT step FROM scan_scripts WHERE image_pk = ? ORDER BY seq').pluck();
    this.#clearScript = db.prepare('DELETE FROM scan_scripts WHERE image_pk = ?');
    this.#scripted = db.prepare<[string], number>('SELECT DISTINCT image_pk FROM scan_scripts WHERE image_pk IN (SELECT value FROM json_each(?))').pluck();
    this.#addStep = db.prepare('INSERT INTO scan_scripts (image_pk, seq, step) VALUES (?, ?, ?)');
    this.#nextChange = db.prepare<[], number | null>('SELECT min(next_change_at) FROM scans WHERE next_change_at IS NOT NULL').pluck();
    this.#laneBusy = db.prepare<[string], { lane: number; free_at: number }>(LANE_BUSY_SQL);
    // +?: planned once (see PAGE_CLAUSE)
    this.#inFlight = db.prepare<[string, number], LaneScan>(`
      SELECT ${LANE_SCAN_COLUMNS} FROM scans s INDEXED BY scans_due JOIN images i ON i.image_pk = s.image_pk
      WHERE s.next_change_at IS NOT NULL AND s.project_id = ? ORDER BY s.next_change_at, s.scan_id LIMIT +?`);
    this.#forgetOldScans = db.prepare(FORGET_OLD_SCANS_SQL);
    this.#countScans = db.prepare<[], number>('SELECT count(*) FROM scans').pluck();
    this.#recentlyDone = db.prepare<[string, number], LaneScan>(`
      SELECT ${LANE_SCAN_COLUMNS} FROM scans s JOIN images i ON i.image_pk = s.image_pk
      WHERE s.next_change_at IS NULL AND s.project_id = ? ORDER BY s.scan_id DESC LIMIT +?`);
  }

  /** A project's scans in flight, soonest to change first, and its latest finished ones: at most `limit` of each. */
  laneView(projectId: string, limit: number): { inFlight: LaneScan[]; done: LaneScan[] } {
    return { inFlight: this.#inFlight.all(projectId, limit), done: this.#recentlyDone.all(projectId, limit) };
  }

  /**
   * Runs `store`, which inserts `scans` plans (insertMany) and reads no scan by an index; inside
   * a transaction. A batch as big as the table gets the scans' indexes built once afterwards.
   * The history of finished scans is trimmed first when it is due (#trimHistory).
   */
  storingMany<T>(scans: number, store: () => T): T {
    return this.#planIndexes.around(scans, () => {
      this.#trimHistory(scans);
      return store();
    });
  }

  insertMany(scans: readonly NewScan[]): void {
    this.#insert.run(scans);
    this.#storedSinceTrim += scans.length;
  }

  /**
   * Keeps the finished scans bounded, however many are requested over an emulator's life:
   * once as many scans have been stored since the last trim as the table then held (and at
   * least HISTORY_TRIM_MIN), all but each project's newest LANE_VIEW_MAX finished ones go,
   * before the `coming` scans are stored. A trim reads the table once, so its cost spread over
   * the scans stored is constant; in a batch big enough to build the indexes again it runs
   * while they are gone. A trim rolled back with its transaction waits for the next.
   */
  #trimHistory(coming: number): void {
    if (this.#storedSinceTrim + coming < this.#trimAfter) return;
    this.#forgetOldScans.run();
    this.#storedSinceTrim = 0;
    this.#trimAfter = Math.max(HISTORY_TRIM_MIN, (this.#countScans.get() ?? 0) + coming);
  }

  /** Writes a scan that finished as it was requested through to its image, as the catch-up's CONCLUSION would. */
  concludeImage(scan: Pick<NewScan, 'image_pk' | 'outcome' | 'end_at' | 'scan_failed_desc' | 'result'>): void {
    const r = scan.result;
    this.#concludeImage.run(
      statusAfter(scan.outcome), scan.end_at, scan.scan_failed_desc, r.vul_num, r.severity_level, r.component_num, r.unsafe_setting_num,
      r.malicious_file_num, r.vulnerabilities ? JSON.stringify(r.vulnerabilities) : null, scan.image_pk,
    );
  }

  /** Unfinished scans whose phase changes at or before `now`: O(those scans). */
  dueBy(now: number): ScanRow[] {
    return this.#due.all(now);
  }

  /** How many scans are due by `now`, counting no further than `limit`. */
  countDue(now: number, limit: number): number {
    return this.#countDue.get({ now, limit }) ?? 0;
  }

  /** The due scans grouped by project, recorded phase, outcome and the phase they are in now. */
  dueGroups(now: number): DueGroup[] {
    return this.#dueGroups.all({ now });
  }

  /**
   * Writes the `due` scans due by `now` through to their images and records their new phases:
   * set-based. When most of the scans are due, most leave the partial indexes of unfinished
   * scans, which are then built again rather than kept up (BulkIndexes).
   */
  applyDue(now: number, due: number): void {
    this.#concludeImages.run({ now });
    this.#startImages.run({ now });
    this.#inFlightIndexes.around(due, (dropped) => (dropped ? this.#advanceAllScans : this.#advanceScans).run({ now }));
  }

  /** Takes the first scripted step of each image that has one (most have none: one query finds them). */
  takeScriptSteps(imagePks: readonly number[]): Map<number, ScanScriptStep> {
    const steps = new Map<number, ScanScriptStep>();
    for (const imagePk of this.#scripted.all(JSON.stringify(imagePks))) {
      const step = this.takeScriptStep(imagePk);
      if (step) steps.set(imagePk, step);
    }
    return steps;
  }

  /** Removes and returns the first scripted step of an image, if it has one. */
  takeScriptStep(imagePk: number): ScanScriptStep | undefined {
    const first = this.#firstStep.get(imagePk);
    if (!first) return undefined;
    this.#dropStep.run(imagePk, first.seq);
    return JSON.parse(first.step) as ScanScriptStep;
  }

  script(imagePk: number): ScanScriptStep[] {
    return this.#script.all(imagePk).map((step) => JSON.parse(step) as ScanScriptStep);
  }

  replaceScript(imagePk: number, steps: readonly ScanScriptStep[]): void {
    this.#clearScript.run(imagePk);
    steps.forEach((step, seq) => this.#addStep.run(imagePk, seq, JSON.stringify(step)));
  }

  nextChangeAt(): number | undefined {
    return this.#nextChange.get() ?? undefined;
  }

  /** When each lane of a project finishes the work it has; idle lanes are absent. */
  laneFreeTimes(projectId: string): Map<number, number> {
    const rows = this.#laneBusy.all(projectId);
    return new Map(rows.map((r) => [r.lane, r.free_at]));
  }
}
