/** SQL for scan plans: store them, find the ones whose phase has changed, lane occupancy. */
import type { Db } from './database.js';
import type { ScanOutcome, ScanPhase } from '../domain/scan-lifecycle.js';
import type { ScanResult } from '../domain/scan-outcome.js';

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
  result: string;
  phase: ScanPhase;
  next_change_at: number | null;
}

export class ScanRepository {
  readonly #insert;
  readonly #due;
  readonly #record;
  readonly #laneBusy;

  constructor(db: Db) {
    this.#insert = db.prepare(`
      INSERT INTO scans (image_pk, project_id, lane, requested_at, start_at, end_at, outcome,
                         scan_failed_desc, result, phase, next_change_at)
      VALUES (:image_pk, :project_id, :lane, :requested_at, :start_at, :end_at, :outcome,
              :scan_failed_desc, :result, 'waiting', :start_at)`);
    this.#due = db.prepare(`
      SELECT * FROM scans INDEXED BY scans_due
      WHERE next_change_at IS NOT NULL AND next_change_at <= ? ORDER BY next_change_at, scan_id`);
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

  recordPhase(scanId: number, phase: ScanPhase, nextChangeAt: number | null): void {
    this.#record.run(phase, nextChangeAt, scanId);
  }

  /** When each lane of a project finishes the work it has; idle lanes are absent. */
  laneFreeTimes(projectId: string): Map<number, number> {
    const rows = this.#laneBusy.all(projectId) as { lane: number; free_at: number }[];
    return new Map(rows.map((r) => [r.lane, r.free_at]));
  }
}
