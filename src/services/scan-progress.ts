/**
 * Brings stored image states up to "now": every scan whose phase has changed since the last
 * request is written through to its image. Runs inside each request's transaction before the
 * request reads anything, and costs O(scans that changed) — the rest of the inventory is not
 * touched. What changed is published once the transaction commits.
 */
import { nextChangeAt, phaseAt, statusAfter, transitionsSince } from '../domain/scan-lifecycle.js';
import type { ScanResult } from '../domain/scan-outcome.js';
import type { Db } from '../db/database.js';
import type { ImageRepository } from '../db/image-repository.js';
import type { ScanRepository } from '../db/scan-repository.js';
import type { ScanEvent, ScanEvents } from './scan-events.js';
import type { EventLog } from '../db/event-log.js';

export class ScanProgress {
  constructor(
    private readonly db: Db,
    private readonly images: ImageRepository,
    private readonly scans: ScanRepository,
    private readonly events: ScanEvents,
    private readonly log: EventLog,
  ) {}

  /**
   * Runs `work` in one transaction that first catches up to `now`; `work` may add the
   * changes it makes itself. Publishes every change after the commit, none on a rollback.
   */
  atNow<T>(now: number, work: (changes: ScanEvent[]) => T): T {
    const changes: ScanEvent[] = [];
    const result = this.db.transaction(() => {
      for (const change of this.catchUp(now)) changes.push(change);
      const value = work(changes);
      const ids = this.log.append(changes);
      changes.forEach((change, i) => (change.id = ids[i]));
      return value;
    })();
    this.events.publish(changes);
    return result;
  }

  /** Call inside a transaction. Returns what changed, oldest first. */
  catchUp(now: number): ScanEvent[] {
    const changes: ScanEvent[] = [];
    for (const scan of this.scans.dueBy(now)) {
      const plan = { startAt: scan.start_at, endAt: scan.end_at, outcome: scan.outcome };
      for (const step of transitionsSince(plan, scan.phase, now)) {
        changes.push({ project_id: scan.project_id, image_id: scan.image_id, ...step });
      }
      const phase = phaseAt(plan, now);
      if (phase === 'done') {
        this.images.conclude(scan.image_pk, statusAfter(scan.outcome), scan.end_at, scan.scan_failed_desc, JSON.parse(scan.result) as ScanResult);
      } else {
        this.images.setStatus(scan.image_pk, phase);
      }
      this.scans.recordPhase(scan.scan_id, phase, nextChangeAt(plan, now));
    }
    return changes.sort((a, b) => a.at - b.at);
  }

  /** When the next scan changes phase, if any is in flight. */
  nextChangeAt(): number | undefined {
    return this.scans.nextChangeAt();
  }
}
