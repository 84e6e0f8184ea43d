/**
 * Brings stored image states up to "now": every scan whose phase has changed since the last
 * request is written through to its image. Runs inside each request's transaction before the
 * request reads anything, and costs O(scans that changed) — the rest of the inventory is not
 * touched. The writes are set-based (a few statements, however many scans changed), and what
 * changed is reported in bounded memory (ChangeSet), published once the transaction commits.
 */
import { planOf, transitionsSince } from '../domain/scan-lifecycle.js';
import type { Db } from '../db/database.js';
import type { ScanRepository } from '../db/scan-repository.js';
import type { ImageRepository } from '../db/image-repository.js';
import { ChangeSet, DETAILED_CHANGES, type ResetEvent, type ScanEvent, type ScanEvents } from './scan-events.js';
import type { EventLog } from '../db/event-log.js';
import { VersionedCache, type TableVersion } from '../db/write-version.js';

export class ScanProgress {
  /** when the next scan changes phase (Infinity: none in flight), known until the next write */
  readonly #nextDue = new VersionedCache<number>(1);

  constructor(
    private readonly db: Db,
    private readonly scans: ScanRepository,
    private readonly images: ImageRepository,
    private readonly events: ScanEvents,
    private readonly log: EventLog,
    private readonly version: TableVersion,
  ) {}

  /**
   * Runs `work` in one transaction that first catches up to `now`; `work` may add the
   * changes it makes itself. Publishes every change after the commit, none on a rollback.
   */
  atNow<T>(now: number, work: (changes: ChangeSet) => T): T {
    let reported: ScanEvent[] = [];
    let resets: ResetEvent[] = [];
    // asked before the transaction begins, where a remembered answer holds (see TableVersion)
    const anyDue = now >= this.#nextDueAt();
    const result = this.db.transaction(() => {
      const changes = new ChangeSet();
      if (anyDue) this.catchUp(now, changes);
      const value = work(changes);
      reported = changes.events();
      resets = changes.resets();
      const ids = this.log.append(reported, 'scan');
      reported.forEach((change, i) => (change.id = ids[i]));
      const resetIds = this.log.append(resets, 'reset');
      resets.forEach((reset, i) => (reset.id = resetIds[i]));
      return value;
    })();
    this.events.publish(reported, resets);
    return result;
  }

  /** Writes through and publishes whatever has changed by `now`, and nothing else. */
  catchUpTo(now: number): void {
    this.atNow(now, () => undefined);
  }

  /**
   * A read as of `now`: when a scan has changed phase since the last write, the catch-up
   * commits first (its own transaction: time has passed, whatever the read then finds); then
   * the read, straight from the database. Nothing runs in between, so it reads the state the
   * catch-up left, outside a transaction, where answers can be kept: `read` is given the
   * inventory's version (see TableVersion).
   */
  readAtNow<T>(now: number, read: (version: number | undefined) => T): T {
    if (now >= this.#nextDueAt()) this.catchUpTo(now);
    return read(this.version.current());
  }

  #nextDueAt(): number {
    return this.#nextDue.get(this.version.current(), 'next', () => this.scans.nextChangeAt() ?? Infinity);
  }

  /** Call inside a transaction: writes every due scan through to its image and adds what changed. */
  catchUp(now: number, changes: ChangeSet): void {
    if (now < this.#nextDueAt()) return;
    const due = this.scans.countDue(now, DETAILED_CHANGES + 1);
    if (due === 0) return;
    // every due scan moves its image on (to scanning, or to its outcome): counted when many
    let moving = due;
    if (due <= DETAILED_CHANGES) {
      for (const scan of this.scans.dueBy(now)) {
        for (const step of transitionsSince(planOf(scan), scan.phase, now)) changes.add({ project_id: scan.project_id, image_id: scan.image_id, image_name: scan.image_name, ...step });
      }
    } else {
      moving = 0;
      for (const group of this.scans.dueGroups(now)) {
        moving += group.count;
        for (const step of transitionsSince(planOf(group), group.phase, now)) changes.addCount({ project_id: group.project_id, ...step }, group.count);
      }
    }
    this.images.changingScanStates(moving, () => this.scans.applyDue(now, moving));
  }

  /** When the next scan changes phase, if any is in flight. */
  nextChangeAt(): number | undefined {
    return this.scans.nextChangeAt();
  }
}
