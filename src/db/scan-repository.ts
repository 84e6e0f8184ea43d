/** SQL for scan plans: store them, find the ones whose phase has changed, lane occupancy. */
import type { Db } from './database.js';
import type { ScanOutcome, ScanPhase } from '../domain/scan-lifecycle.js';
import type { ScanResult, ScanScriptStep } from '../domain/scan-outcome.js';

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
}

export interface ScanRow extends Omit<NewScan, 'result'> {
  scan_id: number;
  image_id: string;
  result: string;
  phase: ScanPhase;
  next_change_at: number | null;
}

export class ScanRepository {
  readonly #insert;
  readonly #due;
  readonly #record;
  readonly #laneBusy;
  readonly #nextChange;
  readonly #firstStep;
  readonly #dropStep;
  readonly #script;
  readonly #clearScript;
  readonly #addStep;

  constructor(db: Db) {
    this.#insert = db.prepare(`
      INSERT INTO scans (image_pk, project_id, lane, requested_at, start_at, end_at, outcome,
                         scan_failed_desc, result, phase, next_change_at)
      VALUES (:image_pk, :project_id, :lane, :requested_at, :start_at, :end_at, :outcome,
              :scan_failed_desc, :result, 'waiting', :start_at)`);
    this.#due = db.prepare(`
      SELECT s.*, i.image_id FROM scans s INDEXED BY scans_due JOIN images i ON i.image_pk = s.image_pk
      WHERE s.next_change_at IS NOT NULL AND s.next_change_at <= ? ORDER BY s.next_change_at, s.scan_id`);
    this.#firstStep = db.prepare('SELECT seq, step FROM scan_scripts WHERE image_pk = ? ORDER BY seq LIMIT 1');
    this.#dropStep = db.prepare('DELETE FROM scan_scripts WHERE image_pk = ? AND seq = ?');
    this.#script = db.prepare('SELECT step FROM scan_scripts WHERE image_pk = ? ORDER BY seq').pluck();
    this.#clearScript = db.prepare('DELETE FROM scan_scripts WHERE image_pk = ?');
    this.#addStep = db.prepare('INSERT INTO scan_scripts (image_pk, seq, step) VALUES (?, ?, ?)');
    this.#nextChange = db.prepare('SELECT min(next_change_at) FROM scans WHERE next_change_at IS NOT NULL').pluck();
    this.#record = db.prepare('UPDATE scans SET phase = ?, next_change_at = ? WHERE scan_id = ?');
    this.#laneBusy = db.prepare(`
      SELECT lane, max(end_at) AS free_at FROM scans INDEXED BY scans_in_flight
      WHERE next_change_at IS NOT NULL AND project_id = ? GROUP BY lane`);
  }

  insert(scan: NewScan): number {
    return Number(this.#insert.run({ ...scan, result: JSON.stringify(scan.result) }).lastInsertRowid);
  }

  /** Unfinished scans whose phase changes at or before `now`: O(those scans). */
  dueBy(now: number): ScanRow[] {
    return this.#due.all(now) as ScanRow[];
  }

  /** Removes and returns the first scripted step of an image, if it has one. */
  takeScriptStep(imagePk: number): ScanScriptStep | undefined {
    const first = this.#firstStep.get(imagePk) as { seq: number; step: string } | undefined;
    if (!first) return undefined;
    this.#dropStep.run(imagePk, first.seq);
    return JSON.parse(first.step) as ScanScriptStep;
  }

  script(imagePk: number): ScanScriptStep[] {
    return (this.#script.all(imagePk) as string[]).map((step) => JSON.parse(step) as ScanScriptStep);
  }

  replaceScript(imagePk: number, steps: readonly ScanScriptStep[]): void {
    this.#clearScript.run(imagePk);
    steps.forEach((step, seq) => this.#addStep.run(imagePk, seq, JSON.stringify(step)));
  }

  nextChangeAt(): number | undefined {
    return (this.#nextChange.get() as number | null) ?? undefined;
  }

  recordPhase(scanId: number, phase: ScanPhase, nextChangeAt: number | null): void {
    this.#record.run(phase, nextChangeAt, scanId);
  }

  /** When each lane of a project finishes the work it has; idle lanes are absent. */
  laneFreeTimes(projectId: string): Map<number, number> {
    const rows = this.#laneBusy.all(projectId) as { lane: number; free_at: number }[];
    return new Map(rows.map((r) => [r.lane, r.free_at]));
  }
}
