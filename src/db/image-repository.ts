/** SQL for the local-image inventory: filtered pages, batch-scan matching, scan results. */
import { BulkIndexes, SCAN_STATE_INDEXES } from './bulk-indexes.js';
import type { Db } from './database.js';
import type { Page, Scope } from '../domain/listing.js';
import { Conditions, PAGE_CLAUSE, StatementCache, type Named } from './statement-cache.js';
import { ImageSetVersion, InventoryVersion, VersionedCache, type TableVersion } from './write-version.js';
import type { ScanResult } from '../domain/scan-outcome.js';
import type { ImageScanStatus } from '../domain/scan-lifecycle.js';
import type { ImageApp } from '../domain/vulnerabilities.js';
import type { IMAGE_SORTS } from '../../schemas/control.js';

/** An image's columns, as stored; the scan fields hold the state as of the last catch-up. */
export interface ImageFields extends Omit<ScanResult, 'vulnerabilities'> {
  project_id: string;
  enterprise_project_id: string;
  image_id: string;
  image_name: string;
  image_digest: string;
  image_version: string;
  local_image_type: string;
  image_size: number;
  latest_update_time: number;
  non_scan_reason: string;
  scan_status: ImageScanStatus;
  latest_scan_time: number;
  scan_failed_desc: string;
  /** JSON: the vulnerabilities the last successful scan listed explicitly; null: generated (domain/vulnerabilities.ts) */
  vulnerabilities: string | null;
}

export interface ImageRow extends ImageFields {
  image_pk: number;
  /** JSON ScanRule, or null */
  scan_rule: string | null;
}

/** An image as a list page shows it: the columns ListImageLocal answers, its hosts and containers counted, its first host. */
export interface ImageListRow extends Omit<ImageFields, 'project_id' | 'enterprise_project_id' | 'vulnerabilities'> {
  host_num: number;
  container_num: number;
  /** the first of its hosts by host id ('' when it is on none), as the list shows it */
  host_id: string;
  host_name: string;
  agent_id: string;
}

/** A page of the control plane's inventory view: filtered, sorted by a column it names. */
export interface AdminPageRequest {
  name_contains?: string;
  scan_status?: string;
  sort: keyof typeof ADMIN_SORT_COLUMNS;
  descending: boolean;
}

/** The columns the control plane's inventory view sorts by (request values never reach SQL text). */
export const ADMIN_SORT_COLUMNS: Record<(typeof IMAGE_SORTS)[number], string> = {
  latest_update_time: 'latest_update_time',
  image_name: 'image_name',
  image_version: 'image_version',
  scan_status: 'scan_status',
  latest_scan_time: 'latest_scan_time',
  vul_num: 'vul_num',
};

/** Every filter is optional; present ones must all hold. Ranges are inclusive. */
export interface ImageFilter {
  image_name_contains?: string;
  image_version?: string;
  /** from selectByStatus: 'none' matches nothing */
  scan_status?: string;
  scan_failed_desc?: string;
  /** only images whose last scan succeeded (the list's has_vul and scan-time filters) */
  succeeded_only?: boolean;
  local_image_type?: string;
  image_size?: number;
  updated_from?: number;
  updated_to?: number;
  scanned_from?: number;
  scanned_to?: number;
  has_vul?: boolean;
  host_name?: string;
  host_id?: string;
  host_ip?: string;
  container_id?: string;
  container_name?: string;
  pod_id?: string;
  pod_name?: string;
  app_name?: string;
  has_container?: boolean;
}

/** An `image_info_list` item: equal in every field given. */
export interface ImageIdentity {
  image_id?: string;
  image_digest?: string;
  image_name?: string;
  image_version?: string;
}

/** The filters that read only the image set's columns (IMAGE_SET_COLUMNS): none a scan writes, none of another table. */
const IMAGE_SET_FILTERS: ReadonlySet<string> = new Set<keyof ImageFilter>([
  'image_name_contains', 'image_version', 'local_image_type', 'image_size', 'updated_from', 'updated_to',
]);

/** Whether a list's total depends only on the image set (see ImageSetVersion). */
export function countsOnImageSet(filter: ImageFilter): boolean {
  return Object.entries(filter).every(([key, value]) => value === undefined || IMAGE_SET_FILTERS.has(key));
}

/** An image that can start a scan now: not already queued or scanning, and with no reason not to. */
const STARTABLE = "i.scan_status NOT IN ('waiting', 'scanning') AND i.non_scan_reason = ''";

/** The statements a list page runs (exported for their query-plan tests). */
export const listCountSql = (from: string, where: string) => `SELECT count(*) FROM ${from} ${where}`;
export const listPageSql = (from: string, where: string) => `SELECT i.image_pk FROM ${from} ${where} ${ORDER} ${PAGE_CLAUSE}`;

/**
 * Where a list starts: the images, or — for a name substring the trigram index can answer —
 * the few names that contain it, each joined to its image (CROSS JOIN keeps that order:
 * SQLite would otherwise walk the project in list order and test every image).
 */
export function listSource(filter: ImageFilter): string {
  return nameGlob(filter.image_name_contains) === undefined
    ? 'images i'
    : 'images_name_search n CROSS JOIN images i ON i.image_pk = n.rowid AND n.image_name GLOB :name_glob';
}

/**
 * A list page's rows, in the order of the keys given: only the columns the list answers, in
 * the order ImageLocalInfo has them, with each image's hosts and containers counted and its
 * first host (lowest host id) joined, in one statement (exported for its query-plan test).
 */
export const LIST_ROWS_SQL = `
  SELECT i.image_name, i.image_id, i.image_digest, i.image_version, i.local_image_type, i.scan_status, i.image_size,
    i.latest_update_time, i.latest_scan_time, i.vul_num, i.unsafe_setting_num, i.malicious_file_num,
    (SELECT count(*) FROM image_hosts ih WHERE ih.image_pk = i.image_pk) AS host_num,
    (SELECT count(*) FROM containers c WHERE c.image_pk = i.image_pk) AS container_num,
    i.component_num, i.scan_failed_desc, i.severity_level,
    coalesce(h.host_name, '') AS host_name, coalesce(h.host_id, '') AS host_id, coalesce(h.agent_id, '') AS agent_id,
    i.non_scan_reason
  FROM json_each(?) j JOIN images i ON i.image_pk = j.value
  LEFT JOIN hosts h ON h.host_pk = (
    SELECT fh.host_pk FROM image_hosts fih JOIN hosts fh ON fh.host_pk = fih.host_pk WHERE fih.image_pk = i.image_pk ORDER BY fh.host_id LIMIT 1)
  ORDER BY j.key`;

/** The statement matchingPks runs (exported for its query-plan test). */
export const matchingPksSql = (from: string, where: string) =>
  `SELECT CASE WHEN ${STARTABLE} THEN i.image_pk ELSE -i.image_pk END FROM ${from} ${where} ${ORDER}`;

/** The statement matchingIdentityPks runs (exported for its query-plan test). */
export const matchingIdentitySql = (where: string) =>
  `SELECT CASE WHEN ${STARTABLE} THEN i.image_pk ELSE -i.image_pk END, i.latest_update_time, i.image_id FROM images i ${where}`;

/** The statement matchingImageIdPks runs (exported for its query-plan test): `where` from imageIdConditions. */
export const matchingImageIdsSql = (where: string) =>
  `SELECT CASE WHEN ${STARTABLE} THEN i.image_pk ELSE -i.image_pk END, i.image_id FROM images i ${where}`;

export function imageIdConditions(scope: Scope, imageIds: readonly string[]): Conditions {
  return scopeConditions(scope).add('i.image_id IN (SELECT value FROM json_each(:image_ids))', { image_ids: JSON.stringify(imageIds) });
}

export function identityConditions(scope: Scope, item: ImageIdentity): Conditions {
  return scopeConditions(scope)
    .when(item.image_id, 'i.image_id = :image_id', 'image_id')
    .when(item.image_digest, 'i.image_digest = :image_digest', 'image_digest')
    .when(item.image_name, 'i.image_name = :image_name', 'image_name')
    .when(item.image_version, 'i.image_version = :image_version', 'image_version');
}

/** What starting a scan needs of one image. */
export interface ScanSubjectRow {
  image_pk: number;
  image_id: string;
  image_name: string;
  image_digest: string;
  image_size: number;
  scan_status: ImageScanStatus;
  scan_rule: string | null;
  /** software the inventory lists for the image */
  app_count: number;
}

/** LIST_ROWS_SQL's columns in their order. */
type ImageListTuple = [
  string, string, string, string, string, ImageScanStatus, number, number, number, number, number, number,
  number, number, number, string, ImageListRow['severity_level'], string, string, string, string,
];

/**
 * An ImageListRow made in one literal, its fields in the order the list answers them (the
 * route writes a page with JSON.stringify, which keeps that order). A row object of
 * better-sqlite3's is built a property at a time, about 2 µs a row of this width.
 */
function listRow([
  image_name, image_id, image_digest, image_version, local_image_type, scan_status, image_size, latest_update_time, latest_scan_time,
  vul_num, unsafe_setting_num, malicious_file_num, host_num, container_num, component_num, scan_failed_desc, severity_level,
  host_name, host_id, agent_id, non_scan_reason,
]: ImageListTuple): ImageListRow {
  return {
    image_name, image_id, image_digest, image_version, local_image_type, scan_status, image_size, latest_update_time, latest_scan_time,
    vul_num, unsafe_setting_num, malicious_file_num, host_num, container_num, component_num, scan_failed_desc, severity_level,
    host_name, host_id, agent_id, non_scan_reason,
  };
}

/** A ScanSubjectRow's columns in its order, as the statement returns them. */
type ScanSubjectTuple = [number, string, string, string, number, ImageScanStatus, string | null, number];

const ON_HOST = 'EXISTS (SELECT 1 FROM image_hosts ih JOIN hosts h ON h.host_pk = ih.host_pk WHERE ih.image_pk = i.image_pk AND';
const IN_CONTAINER = 'EXISTS (SELECT 1 FROM containers c WHERE c.image_pk = i.image_pk AND';
const ORDER = 'ORDER BY i.latest_update_time DESC, i.image_id';

export function scopeConditions(scope: Scope, alias = 'i'): Conditions {
  return new Conditions().add(
    `${alias}.project_id = :project_id AND ${alias}.enterprise_project_id IN (SELECT value FROM json_each(:eps))`,
    { project_id: scope.projectId, eps: JSON.stringify(scope.enterpriseProjects) },
  );
}

/**
 * The trigram index's pattern for a needle of 3+ characters (shorter ones have no trigram and
 * scan): GLOB's own special characters match themselves inside brackets.
 */
function nameGlob(needle: string | undefined): string | undefined {
  if (needle === undefined || [...needle].length < 3) return undefined;
  return `*${needle.replace(/[*?[]/g, (c) => `[${c}]`)}*`;
}

export function filterConditions(scope: Scope, f: ImageFilter): Conditions {
  const bool = (b: boolean | undefined) => (b === undefined ? undefined : b ? 1 : 0);
  return scopeConditions(scope)
    // instr is exact and case-sensitive, as the list's match is; the trigram index narrows first
    .when(f.image_name_contains, 'instr(i.image_name, :name_part) > 0', 'name_part')
    .bind('name_glob', nameGlob(f.image_name_contains)) // used by listSource
    .when(f.image_version, 'i.image_version = :image_version', 'image_version')
    .when(f.scan_status, 'i.scan_status = :scan_status', 'scan_status')
    .when(f.scan_failed_desc, 'i.scan_failed_desc = :scan_failed_desc', 'scan_failed_desc')
    .when(f.succeeded_only ? 'success' : undefined, 'i.scan_status = :succeeded', 'succeeded')
    .when(f.local_image_type, 'i.local_image_type = :local_image_type', 'local_image_type')
    .when(f.image_size, 'i.image_size = :image_size', 'image_size')
    .when(f.updated_from, 'i.latest_update_time >= :updated_from', 'updated_from')
    .when(f.updated_to, 'i.latest_update_time <= :updated_to', 'updated_to')
    .when(f.scanned_from, 'i.latest_scan_time >= :scanned_from', 'scanned_from')
    .when(f.scanned_to, 'i.latest_scan_time <= :scanned_to', 'scanned_to')
    .when(bool(f.has_vul), '(i.vul_num > 0) = :has_vul', 'has_vul')
    .when(f.host_name, `${ON_HOST} instr(h.host_name, :host_name) > 0)`, 'host_name')
    .when(f.host_id, `${ON_HOST} h.host_id = :host_id)`, 'host_id')
    .when(f.host_ip, `${ON_HOST} (h.private_ip = :host_ip OR h.public_ip = :host_ip))`, 'host_ip')
    .when(f.container_id, `${IN_CONTAINER} c.container_id = :container_id)`, 'container_id')
    .when(f.container_name, `${IN_CONTAINER} instr(c.container_name, :container_name) > 0)`, 'container_name')
    .when(f.pod_id, `${IN_CONTAINER} c.pod_id = :pod_id)`, 'pod_id')
    .when(f.pod_name, `${IN_CONTAINER} instr(c.pod_name, :pod_name) > 0)`, 'pod_name')
    .when(
      f.app_name,
      'EXISTS (SELECT 1 FROM apps a WHERE a.image_pk = i.image_pk AND instr(a.app_name, :app_name) > 0)',
      'app_name',
    )
    .when(bool(f.has_container), `(${IN_CONTAINER} 1)) = :has_container`, 'has_container');
}

export class ImageRepository {
  readonly #statements: StatementCache;
  readonly #scanStateIndexes: BulkIndexes;
  readonly #byImageId;
  readonly #remove;
  readonly #removeAll;
  readonly #scanSubjects;
  readonly #markStatus;
  readonly #byPks;
  readonly #listRows;
  readonly #inventoryVersion;
  readonly #imageSetVersion;
  readonly #counts = new VersionedCache<number>(1_000);
  /** totals whose filter reads only the image set (see countsOnImageSet) */
  readonly #imageSetCounts = new VersionedCache<number>(1_000);
  readonly #statusCountsOf = new VersionedCache<Record<string, number>>(100);
  readonly #all;
  readonly #allInProject;
  readonly #count;
  readonly #statusCounts;
  readonly #appsOf;

  constructor(db: Db) {
    this.#scanStateIndexes = new BulkIndexes(db, 'images', SCAN_STATE_INDEXES);
    this.#statements = new StatementCache(db);
    this.#byPks = db.prepare<[string], ImageRow>('SELECT i.* FROM json_each(?) j JOIN images i ON i.image_pk = j.value ORDER BY j.key');
    this.#listRows = db.prepare<[string], ImageListTuple>(LIST_ROWS_SQL).raw();
    this.#inventoryVersion = InventoryVersion.of(db);
    this.#imageSetVersion = ImageSetVersion.of(db);
    // as arrays: better-sqlite3 builds a row object a property at a time, about 2 µs a row here,
    // and an operate_all reads a million (scanSubjects makes the objects in one literal)
    this.#scanSubjects = db
      .prepare<[string], ScanSubjectTuple>(`
        SELECT i.image_pk, i.image_id, i.image_name, i.image_digest, i.image_size, i.scan_status, i.scan_rule,
          (SELECT count(*) FROM apps a WHERE a.image_pk = i.image_pk) AS app_count
        FROM json_each(?) j JOIN images i ON i.image_pk = j.value ORDER BY j.key`)
      .raw();
    this.#markStatus = db.prepare<[ImageScanStatus, string]>('UPDATE images SET scan_status = ? WHERE image_pk IN (SELECT value FROM json_each(?))');
    this.#byImageId = db.prepare<[string], ImageRow>('SELECT * FROM images WHERE image_id = ? ORDER BY project_id');
    this.#remove = db.prepare('DELETE FROM images WHERE project_id = ? AND image_id = ?');
    this.#removeAll = db.prepare('DELETE FROM images WHERE project_id = ?');
    this.#all = db.prepare<[], ImageRow>('SELECT * FROM images ORDER BY project_id, latest_update_time DESC, image_id');
    this.#allInProject = db.prepare<[string], ImageRow>('SELECT * FROM images WHERE project_id = ? ORDER BY latest_update_time DESC, image_id');
    this.#count = db.prepare<[], number>('SELECT count(*) FROM images').pluck();
    this.#appsOf = db.prepare<[number], ImageApp>('SELECT app_name, app_type, app_version, vul_num FROM apps WHERE image_pk = ? ORDER BY app_name, app_pk');
    this.#statusCounts = db.prepare<[string], { scan_status: string; n: number }>(
      'SELECT scan_status, count(*) AS n FROM images WHERE project_id = ? GROUP BY scan_status',
    );
  }

  /**
   * One page in list order, and how many match in all. The page's keys come off the index
   * alone (a deep offset skips index entries, not rows), then only its rows are read, with
   * their hosts (LIST_ROWS_SQL). The exact total is counted once per state of what it reads:
   * the same filter's count is remembered until the inventory is written (InventoryVersion),
   * or, for a filter that reads only the image set, until an image comes, goes or is renamed
   * (ImageSetVersion): a poll while scans run does not count a million images again.
   */
  list(scope: Scope, filter: ImageFilter, page: Page): { total: number; rows: ImageListRow[] } {
    const where = filterConditions(scope, filter);
    const from = listSource(filter);
    const countSql = listCountSql(from, where.where);
    const total = this.#countOf(countsOnImageSet(filter), countSql, where.params);
    const pks = this.#statements.get<[Named], number>(listPageSql(from, where.where)).pluck().all({ ...where.params, ...page });
    return { total, rows: pks.length ? (this.#listRows.all(JSON.stringify(pks)) as unknown as ImageListTuple[]).map(listRow) : [] };
  }

  /** One page of a project's images for the control plane's view, and how many match in all. */
  adminPage(projectId: string, request: AdminPageRequest, page: Page): { total: number; rows: ImageRow[] } {
    const where = new Conditions()
      .add('project_id = :project_id', { project_id: projectId })
      .when(request.name_contains, 'instr(image_name, :name_part) > 0', 'name_part')
      .when(request.scan_status, 'scan_status = :scan_status', 'scan_status');
    const countSql = `SELECT count(*) FROM images ${where.where}`;
    const total = this.#countOf(request.scan_status === undefined, countSql, where.params);
    const direction = request.descending ? 'DESC' : 'ASC';
    const pageSql = `SELECT image_pk FROM images ${where.where}
      ORDER BY ${ADMIN_SORT_COLUMNS[request.sort]} ${direction}, image_id ${direction} ${PAGE_CLAUSE}`;
    const pks = this.#statements.get<[Named], number>(pageSql).pluck().all({ ...where.params, ...page });
    return { total, rows: pks.length ? this.#byPks.all(JSON.stringify(pks)) : [] };
  }

  /** A count, remembered under the version of what it reads: the image set alone, or the whole inventory. */
  #countOf(imageSetOnly: boolean, countSql: string, params: Named): number {
    const [cache, version]: [VersionedCache<number>, TableVersion] = imageSetOnly
      ? [this.#imageSetCounts, this.#imageSetVersion]
      : [this.#counts, this.#inventoryVersion];
    return cache.get(version.current(), `${countSql}\n${JSON.stringify(params)}`, () => this.#statements.get<[Named], number>(countSql).pluck().get(params) ?? 0);
  }

  /** The software an image's inventory lists. */
  appsOf(imagePk: number): ImageApp[] {
    return this.#appsOf.all(imagePk);
  }

  /** How many of a project's images are in each scan status now (statuses with none are left out). */
  statusCounts(projectId: string): Record<string, number> {
    return this.#statusCountsOf.get(this.#inventoryVersion.current(), projectId, () =>
      Object.fromEntries(this.#statusCounts.all(projectId).map((r) => [r.scan_status, r.n])),
    );
  }

  /**
   * Every image in scope that passes the filter and can start a scan now (see STARTABLE), in
   * list order, as its image_pk: 8 bytes each, so a million take 8 MB (a JS array of them
   * took five times that at its peak).
   */
  startablePks(scope: Scope, filter: ImageFilter): Float64Array {
    const where = filterConditions(scope, filter);
    let pks = new Float64Array(1_024);
    let count = 0;
    for (const pk of this.#statements.get<[Named], number>(matchingPksSql(listSource(filter), where.where)).pluck().iterate(where.params)) {
      if (pk < 0) continue;
      if (count === pks.length) {
        const grown = new Float64Array(count * 2);
        grown.set(pks);
        pks = grown;
      }
      pks[count++] = pk;
    }
    return pks.subarray(0, count);
  }

  /**
   * The images in scope equal to every field the item gives, as matchingPks answers. The
   * statement has no ORDER BY, so SQLite can use the index of the field given; the few
   * matches are put in list order here.
   */
  matchingIdentityPks(scope: Scope, item: ImageIdentity): number[] {
    const where = identityConditions(scope, item);
    const rows = this.#statements.get<[Named], unknown>(matchingIdentitySql(where.where)).raw().all(where.params) as [number, number, string][];
    return rows.sort((a, b) => b[1] - a[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0)).map((row) => row[0]);
  }

  /**
   * The images of the scope with these ids (at most one each: ids are unique in a project),
   * by id, in one statement: image_pk, negative when it cannot be scanned now.
   */
  matchingImageIdPks(scope: Scope, imageIds: readonly string[]): Map<string, number> {
    const where = imageIdConditions(scope, imageIds);
    const rows = this.#statements.get<[Named], unknown>(matchingImageIdsSql(where.where)).raw().all(where.params) as [number, string][];
    return new Map(rows.map(([pk, imageId]) => [imageId, pk]));
  }

  /** What starting a scan needs of each image, in the order given. */
  scanSubjects(imagePks: readonly number[]): ScanSubjectRow[] {
    return (this.#scanSubjects.all(JSON.stringify(imagePks)) as unknown as ScanSubjectTuple[]).map(
      ([image_pk, image_id, image_name, image_digest, image_size, scan_status, scan_rule, app_count]) => ({
        image_pk, image_id, image_name, image_digest, image_size, scan_status, scan_rule, app_count,
      }),
    );
  }

  /** Runs `change`, which starts or ends the scans of `images` images (see BulkIndexes); inside a transaction. */
  changingScanStates<T>(images: number, change: () => T): T {
    return this.#scanStateIndexes.around(images, change);
  }

  /** Shows the images as queued (`waiting`) or on a lane (`scanning`). */
  markInFlight(imagePks: readonly number[], status: 'waiting' | 'scanning'): void {
    if (imagePks.length > 0) this.#markStatus.run(status, JSON.stringify(imagePks));
  }

  /** The images with this id, in every project (ids are unique only within one). */
  withImageId(imageId: string): ImageRow[] {
    return this.#byImageId.all(imageId);
  }

  /** The whole inventory, or one project's, in list order. */
  all(projectId?: string): ImageRow[] {
    return projectId === undefined ? this.#all.all() : this.#allInProject.all(projectId);
  }

  count(): number {
    return this.#count.get() ?? 0;
  }

  /** One image, or every image of the project; returns how many went. */
  remove(projectId: string, imageId?: string): number {
    return (imageId === undefined ? this.#removeAll.run(projectId) : this.#remove.run(projectId, imageId)).changes;
  }
}
