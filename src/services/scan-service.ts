/**
 * BatchScanLocalImage: choose the images a request names, and queue a scan for each one
 * that can be scanned now — all of them or none, in one transaction.
 */
import { selectByStatus } from '../domain/status-filter.js';
import type { ImageFilter, ImageRepository, ImageRow, Scope } from '../db/image-repository.js';
import type { ScanRepository } from '../db/scan-repository.js';
import { assignLanes, scanDuration, type DurationSettings } from '../domain/scan-lifecycle.js';
import { concludeScan, type ScanRule } from '../domain/scan-outcome.js';
import type { BatchScanBody } from '../../schemas/batch-scan.js';
import { invalidParameter } from '../http/errors.js';
import type { ScanProgress } from './scan-progress.js';
import type { ScanEvent } from './scan-events.js';

export interface ScanSettings extends DurationSettings {
  lanes: number;
  maxImageSize: number;
  maxBatchImages: number;
}

export interface BatchScanOutcome {
  matched: number;
  started: number;
}

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
      const empty = items.findIndex((item) => Object.keys(item).length === 0);
      if (empty >= 0) throw invalidParameter(`image_info_list[${empty}] must give at least one field`);
    }
    return this.progress.atNow(now, (changes) => {
      const matched = body.operate_all === true ? this.images.matching(scope, filterOf(body)) : this.#byIdentity(scope, body);
      const startable = matched.filter((image) => isStartable(image));
      changes.push(...this.#start(scope.projectId, startable, now));
      changes.push(...this.progress.catchUp(now));
      return { matched: matched.length, started: startable.length };
    });
  }

  #byIdentity(scope: Scope, body: BatchScanBody): ImageRow[] {
    const seen = new Map<number, ImageRow>();
    for (const item of body.image_info_list ?? []) {
      for (const image of this.images.matchingIdentity(scope, item)) seen.set(image.image_pk, image);
    }
    return [...seen.values()];
  }

  /** EMULATOR: scan timing is simulated — `lanes` scanners per project, duration from image size. */
  #start(projectId: string, images: readonly ImageRow[], now: number): ScanEvent[] {
    if (images.length === 0) return [];
    const busy = this.scans.laneFreeTimes(projectId);
    const laneFreeAt = Array.from({ length: this.settings.lanes }, (_, lane) => busy.get(lane) ?? now);
    // A scripted step, if the image has one, decides this scan; otherwise the fixture's rule.
    const steps = images.map((image) => this.scans.takeScriptStep(image.image_pk));
    const conclusions = images.map((image, i) =>
      concludeScan(
        { ...image, app_count: this.images.appCount(image.image_pk) },
        steps[i] ?? (image.scan_rule ? (JSON.parse(image.scan_rule) as ScanRule) : undefined),
        this.settings.maxImageSize,
      ),
    );
    const durations = images.map(
      (image, i) =>
        steps[i]?.duration_ms ??
        (conclusions[i]?.outcome === 'image_oversized' ? this.settings.baseMs : scanDuration(image.image_size, this.settings)),
    );
    const slots = assignLanes(laneFreeAt, now, durations);
    images.forEach((image, i) => {
      const conclusion = conclusions[i]!;
      const slot = slots[i]!;
      this.scans.insert({
        image_pk: image.image_pk,
        project_id: projectId,
        lane: slot.lane,
        requested_at: now,
        start_at: slot.startAt,
        end_at: slot.endAt,
        outcome: conclusion.outcome,
        scan_failed_desc: conclusion.scan_failed_desc,
        result: conclusion.result,
      });
      this.images.setStatus(image.image_pk, 'waiting');
    });
    return images.map((image) => ({ project_id: projectId, image_id: image.image_id, from: image.scan_status, to: 'waiting', at: now }));
  }
}

/** Waiting or scanning images are left alone; images with a non_scan_reason stay unscanned. */
function isStartable(image: ImageRow): boolean {
  return image.scan_status !== 'waiting' && image.scan_status !== 'scanning' && image.non_scan_reason === '';
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
