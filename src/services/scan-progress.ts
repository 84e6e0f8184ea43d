/**
 * Brings stored image states up to "now": every scan whose phase has changed since the last
 * request is written through to its image. Runs inside each request's transaction before the
 * request reads anything, and costs O(scans that changed) — the rest of the inventory is not
 * touched.
 */
import { nextChangeAt, phaseAt, transitionsSince, type ScanTransition } from '../domain/scan-lifecycle.js';
import type { ScanResult } from '../domain/scan-outcome.js';
import type { ImageRepository } from '../db/image-repository.js';
import type { ScanRepository, ScanRow } from '../db/scan-repository.js';

export interface ImageTransition extends ScanTransition {
  project_id: string;
  image_pk: number;
}

export class ScanProgress {
  readonly #images: ImageRepository;
  readonly #scans: ScanRepository;

  constructor(images: ImageRepository, scans: ScanRepository) {
    this.#images = images;
    this.#scans = scans;
  }

  /** Call inside a transaction. Returns what changed, oldest first. */
  catchUp(now: number): ImageTransition[] {
    const changes: ImageTransition[] = [];
    for (const scan of this.#scans.dueBy(now)) {
      const plan = planOf(scan);
      for (const step of transitionsSince(plan, scan.phase, now)) {
        changes.push({ ...step, project_id: scan.project_id, image_pk: scan.image_pk });
      }
      const phase = phaseAt(plan, now);
      if (phase === 'done') {
        this.#images.conclude(scan.image_pk, scan.outcome, scan.end_at, scan.scan_failed_desc, JSON.parse(scan.result) as ScanResult);
      } else {
        this.#images.setStatus(scan.image_pk, phase);
      }
      this.#scans.recordPhase(scan.scan_id, phase, nextChangeAt(plan, now));
    }
    return changes;
  }
}

function planOf(scan: ScanRow) {
  return { startAt: scan.start_at, endAt: scan.end_at, outcome: scan.outcome };
}
