/**
 * BatchScanLocalImage: choose the images a request names, and queue a scan for each one
 * that can be scanned now — all of them or none, in one transaction.
 */
import { selectByStatus } from '../domain/status-filter.js';
import type { ImageFilter, ImageIdentity, ImageRepository, ScanSubjectRow } from '../db/image-repository.js';
import type { Scope } from '../domain/listing.js';
import type { NewScan, ScanRepository } from '../db/scan-repository.js';
import { assignLanes, nextChangeAt, phaseAt, planOf, scanDuration, transitionsSince, type DurationSettings, type ScanPhase } from '../domain/scan-lifecycle.js';
import { concludeScan, type ScanRule } from '../domain/scan-outcome.js';
import type { BatchScanBody } from '../../schemas/batch-scan.js';
import { invalidParameter } from '../errors/catalog.js';
import type { ScanProgress } from './scan-progress.js';
import { ChangeSet } from './scan-events.js';

export interface ScanSettings extends DurationSettings {
  lanes: number;
  maxImageSize: number;
  maxBatchImages: number;
}

export interface BatchScanOutcome {
  /** scans this request queued (images already waiting or scanning, or with a non_scan_reason, are not) */
  started: number;
  /** the ids of the first MATCHED_IMAGES_SHOWN images scanned, in list order */
  images: string[];
}

/** How many of a batch-scan's images it names in its outcome (the journal shows them). */
export const MATCHED_IMAGES_SHOWN = 50;

export class ScanService {
  constructor(
    private readonly images: ImageRepository,
    private readonly scans: ScanRepository,
    private readonly progress: ScanProgress,
    private readonly settings: ScanSettings,
  ) {}

  batchScan(scope: Scope, body: BatchScanBody, now: number): BatchScanOutcome {
    const items = body.image_info_list ?? [];
    // EMULATOR: the real limit on image_info_list is not published; ours is configurable.
    if (body.operate_all !== true) {
      if (items.length < 1 || items.length > this.settings.maxBatchImages) {
        throw invalidParameter(
          `image_info_list must hold 1 to ${this.settings.maxBatchImages} images when operate_all is not true`,
        );
      }
    }
    return this.progress.atNow(now, (changes) => {
      // The images to scan, as ids alone (in list order), so a million matches cost
      // megabytes; their rows are read a chunk at a time.
      const startable = body.operate_all === true ? this.images.startablePks(scope, filterOf(body)) : this.#byIdentity(scope, body).filter((pk) => pk > 0);
      // every new scan changes phase after `now` (#plan), or is done and written through (#store):
      // nothing more is due
      const images = this.#start(scope.projectId, startable, now, changes);
      return { started: startable.length, images };
    });
  }

  /** Each item's matches in list order, the first time an image appears; negative: not startable. */
  #byIdentity(scope: Scope, body: BatchScanBody): number[] {
    const items = body.image_info_list ?? [];
    if (items.every(namesIdAlone)) return this.#byImageId(scope, items.map((item) => item.image_id!));
    const seen = new Set<number>();
    const pks: number[] = [];
    for (const item of items) {
      for (const pk of this.images.matchingIdentityPks(scope, item)) {
        if (!seen.has(Math.abs(pk))) {
          seen.add(Math.abs(pk));
          pks.push(pk);
        }
      }
    }
    return pks;
  }

  /**
   * The same for items that each name an image by its id alone, the usual form: one statement
   * for them all. An id names at most one image of a project, so an item matches one or none.
   */
  #byImageId(scope: Scope, imageIds: readonly string[]): number[] {
    const pkOf = this.images.matchingImageIdPks(scope, imageIds);
    const seen = new Set<string>();
    const pks: number[] = [];
    for (const imageId of imageIds) {
      const pk = pkOf.get(imageId);
      if (pk !== undefined && !seen.has(imageId)) {
        seen.add(imageId);
        pks.push(pk);
      }
    }
    return pks;
  }

  /** EMULATOR: scan timing is simulated — `lanes` scanners per project, duration from image size. */
  #start(projectId: string, imagePks: ArrayLike<number>, now: number, changes: ChangeSet): string[] {
    const shown: string[] = [];
    if (imagePks.length === 0) return shown;
    const busy = this.scans.laneFreeTimes(projectId);
    const laneFreeAt = Array.from({ length: this.settings.lanes }, (_, lane) => busy.get(lane) ?? now);
    // what is already under way is reported after every image's `waiting`
    const underway = new ChangeSet();
    const count = imagePks.length;
    this.images.changingScanStates(count, () =>
      this.scans.storingMany(count, () => {
        for (let from = 0; from < count; from += START_CHUNK) {
          const images = this.images.scanSubjects(Array.from({ length: Math.min(START_CHUNK, count - from) }, (_, i) => imagePks[from + i]!));
          const scans = this.#plan(projectId, images, laneFreeAt, now);
          this.#store(images, scans);
          this.#report(projectId, images, scans, now, changes, underway);
          for (const image of images.slice(0, MATCHED_IMAGES_SHOWN - shown.length)) shown.push(image.image_id);
        }
      }),
    );
    changes.addAll(underway);
    return shown;
  }

  /** Each image's scan: its outcome, its lane and times (moving `laneFreeAt` on), its phase now. */
  #plan(projectId: string, images: readonly ScanSubjectRow[], laneFreeAt: number[], now: number): NewScan[] {
    // A scripted step, if the image has one, decides this scan; otherwise the fixture's rule.
    const steps = this.scans.takeScriptSteps(images.map((image) => image.image_pk));
    const conclusions = images.map((image) =>
      concludeScan(image, steps.get(image.image_pk) ?? (image.scan_rule ? (JSON.parse(image.scan_rule) as ScanRule) : undefined), this.settings.maxImageSize),
    );
    const durations = images.map(
      (image, i) =>
        steps.get(image.image_pk)?.duration_ms ??
        (conclusions[i]!.outcome === 'image_oversized' ? this.settings.baseMs : scanDuration(image.image_size, this.settings)),
    );
    const slots = assignLanes(laneFreeAt, now, durations);
    for (const slot of slots) laneFreeAt[slot.lane] = Math.max(laneFreeAt[slot.lane]!, slot.endAt);
    return images.map((image, i) => {
      const { lane, startAt, endAt } = slots[i]!;
      return {
        image_pk: image.image_pk,
        project_id: projectId,
        lane,
        requested_at: now,
        start_at: startAt,
        end_at: endAt,
        outcome: conclusions[i]!.outcome,
        scan_failed_desc: conclusions[i]!.scan_failed_desc,
        result: conclusions[i]!.result,
        phase: phaseAt(slots[i]!, now),
        next_change_at: nextChangeAt(slots[i]!, now),
      };
    });
  }

  /**
   * Stores the scans and shows each image in the phase its scan is in: one that has already
   * started (or ended: 0 ms on a free lane) is written through here, as the catch-up would.
   */
  #store(images: readonly ScanSubjectRow[], scans: readonly NewScan[]): void {
    this.scans.insertMany(scans);
    const inPhase = (phase: ScanPhase) => images.filter((_, i) => scans[i]!.phase === phase).map((image) => image.image_pk);
    this.images.markInFlight(inPhase('waiting'), 'waiting');
    this.images.markInFlight(inPhase('scanning'), 'scanning');
    for (const scan of scans) if (scan.phase === 'done') this.scans.concludeImage(scan);
  }

  /** Every image's `waiting` (one by one while the request's changes are few, else counted), and what is already under way. */
  #report(projectId: string, images: readonly ScanSubjectRow[], scans: readonly NewScan[], now: number, changes: ChangeSet, underway: ChangeSet): void {
    if (changes.staysDetailed(images.length)) {
      for (const { image_id, image_name, scan_status } of images) changes.add({ project_id: projectId, image_id, image_name, from: scan_status, to: 'waiting', at: now });
    } else {
      for (const [from, count] of countBy(images.map((image) => image.scan_status))) changes.addCount({ project_id: projectId, from, to: 'waiting', at: now }, count);
    }
    images.forEach(({ image_id, image_name }, i) => {
      const scan = scans[i]!;
      if (scan.phase === 'waiting') return;
      for (const { from, to, at } of transitionsSince(planOf(scan), 'waiting', now)) underway.add({ project_id: projectId, image_id, image_name, from, to, at });
    });
  }
}

function namesIdAlone(item: ImageIdentity): boolean {
  return item.image_id !== undefined && item.image_digest === undefined && item.image_name === undefined && item.image_version === undefined;
}

/** Images whose rows one step of a batch-scan holds at once. */
const START_CHUNK = 1_000;

/** How often each value occurs, in the order values first occur. */
function countBy<T>(values: readonly T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

function filterOf(body: BatchScanBody): ImageFilter {
  return {
    image_name_contains: body.image_name,
    image_version: body.image_version,
    local_image_type: body.local_image_type,
    ...selectByStatus(body.scan_status),
    image_size: body.image_size,
    updated_from: body.start_latest_update_time,
    updated_to: body.end_latest_update_time,
    scanned_from: body.start_latest_scan_time,
    scanned_to: body.end_latest_scan_time,
  };
}
