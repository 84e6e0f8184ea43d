/**
 * The four read-only local-image operations: ListImageLocal, ListLocalImageHosts,
 * ListLocalImageContainers and ListLocalImageAppInfo. Each shows the inventory as it stands
 * at the request's instant.
 */
import { selectByStatus } from '../domain/status-filter.js';
import type { ImageFilter, ImageRepository } from '../db/image-repository.js';
import type { ImageDetailsRepository, ImageSelector } from '../db/image-details-repository.js';
import { selectVulnerabilities, storedImageVulnerabilities, type Vulnerability } from '../domain/vulnerabilities.js';
import type { ImageVulInfo, ListImageVulnerabilitiesQuery } from '../../schemas/vulnerabilities.js';
import type { Listing, Page, Scope } from '../domain/listing.js';
import type { ListImageLocalQuery, ImageLocalInfo } from '../../schemas/local-images.js';
import type { LocalImageAppInfo, LocalImageContainerInfo, LocalImageHostInfo } from '../../schemas/local-image-details.js';
import type { ScanProgress } from './scan-progress.js';
import { VersionedCache } from '../db/write-version.js';

export class InventoryService {
  /** list answers, reused until the inventory is written (a poll loop asks the same again and again) */
  readonly #listings = new VersionedCache<Listing<ImageLocalInfo>>(1_000);

  constructor(
    private readonly images: ImageRepository,
    private readonly details: ImageDetailsRepository,
    private readonly progress: ScanProgress,
  ) {}

  #atNow<T>(now: number, read: (version: number | undefined) => T): T {
    return this.progress.readAtNow(now, read);
  }

  listImages(scope: Scope, query: ListImageLocalQuery, page: Page, now: number): Listing<ImageLocalInfo> {
    const key = JSON.stringify([scope, query, page]);
    return this.#atNow(now, (version) => this.#listings.get(version, key, () => this.#listImages(scope, query, page)));
  }

  #listImages(scope: Scope, query: ListImageLocalQuery, page: Page): Listing<ImageLocalInfo> {
    // a page's rows are ImageLocalInfo as they come from SQL (LIST_ROWS_SQL)
    return this.images.list(scope, imageFilterOf(query), page);
  }

  listHosts(scope: Scope, selector: ImageSelector & { host_name?: string }, page: Page, now: number): Listing<LocalImageHostInfo> {
    return this.#atNow(now, () => this.details.hosts(scope, selector, page));
  }

  listContainers(
    scope: Scope,
    selector: ImageSelector & { container_id?: string },
    page: Page,
    now: number,
  ): Listing<LocalImageContainerInfo> {
    return this.#atNow(now, () => this.details.containers(scope, selector, page));
  }

  listApps(scope: Scope, imageId: string, appName: string | undefined, page: Page, now: number): Listing<LocalImageAppInfo> {
    return this.#atNow(now, () => this.details.apps(scope, imageId, appName, page));
  }

  /**
   * ListImageVulnerabilities: what the last successful scan of one local image found. Empty for
   * an image not in scope, one whose name or tag differs from those given, and — EMULATOR: no
   * registries are emulated — for every registry image type. EMULATOR: `namespace`, which the
   * model requires, names a registry organization and is not used for local images.
   */
  listVulnerabilities(scope: Scope, imageId: string, query: ListImageVulnerabilitiesQuery, page: Page, now: number): Listing<ImageVulInfo> {
    const none = { total: 0, rows: [] };
    if (query.image_type !== 'local_image' || query.handle_status === 'handled') return none;
    return this.#atNow(now, () => {
      const image = this.details.vulnerableImage(scope, imageId);
      if (!image) return none;
      if ((query.image_name && query.image_name !== image.image_name) || (query.tag_name && query.tag_name !== image.image_version)) return none;
      const found = selectVulnerabilities(storedImageVulnerabilities(image, this.images.appsOf(image.image_pk)), query);
      return { total: found.length, rows: found.slice(page.offset, page.offset + page.limit).map(toVulInfo) };
    });
  }
}

/** The wire shape of one finding (the ImageVulInfo model's fields). */
function toVulInfo(v: Vulnerability): ImageVulInfo {
  return {
    vul_id: v.vul_id,
    repair_necessity: v.repair_necessity,
    description: v.description,
    position: v.position,
    app_name: v.app_name,
    ...(v.app_path === undefined ? {} : { app_path: v.app_path }),
    version: v.version,
    solution: v.solution,
    url: v.url,
  };
}

/**
 * The list's filter rules from hss-api.md §2.1 and §9: `image_version` counts only with
 * `image_name`; a time range counts only as a pair with start < end; `scan_status` values
 * select as selectByStatus says; `has_vul` and the scan-time range apply to images whose
 * last scan succeeded.
 */
export function imageFilterOf(q: ListImageLocalQuery): ImageFilter {
  const pair = (start: number | undefined, end: number | undefined) =>
    start !== undefined && end !== undefined && start < end ? [start, end] : [undefined, undefined];
  const [updatedFrom, updatedTo] = pair(q.start_latest_update_time, q.end_latest_update_time);
  const [scannedFrom, scannedTo] = pair(q.start_latest_scan_time, q.end_latest_scan_time);
  return {
    image_name_contains: q.image_name,
    image_version: q.image_name === undefined ? undefined : q.image_version,
    ...selectByStatus(q.scan_status),
    succeeded_only: q.has_vul !== undefined || scannedFrom !== undefined ? true : undefined,
    local_image_type: q.local_image_type,
    image_size: q.image_size,
    updated_from: updatedFrom,
    updated_to: updatedTo,
    scanned_from: scannedFrom,
    scanned_to: scannedTo,
    has_vul: q.has_vul,
    host_name: q.host_name,
    host_id: q.host_id,
    host_ip: q.host_ip,
    container_id: q.container_id,
    container_name: q.container_name,
    pod_id: q.pod_id,
    pod_name: q.pod_name,
    app_name: q.app_name,
    has_container: q.has_container,
  };
}
