/** SQL for the local-image inventory: filtered pages, batch-scan matching, scan results. */
import type { Db } from './database.js';
import { Conditions, StatementCache } from './statement-cache.js';
import type { ScanResult } from '../domain/scan-outcome.js';
import type { ImageScanStatus } from '../domain/scan-lifecycle.js';

/** An image's columns, as stored; the scan fields hold the state as of the last catch-up. */
export interface ImageFields extends ScanResult {
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
}

export interface ImageRow extends ImageFields {
  image_pk: number;
  /** JSON ScanRule, or null */
  scan_rule: string | null;
}

/** The images one request may see: a project and some of the account's enterprise projects. */
export interface Scope {
  projectId: string;
  enterpriseProjects: readonly string[];
}

export interface Page {
  offset: number;
  limit: number;
}

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

export interface ImageHostRef {
  image_pk: number;
  host_id: string;
  host_name: string;
  agent_id: string;
}

const ON_HOST = 'EXISTS (SELECT 1 FROM image_hosts ih JOIN hosts h ON h.host_pk = ih.host_pk WHERE ih.image_pk = i.image_pk AND';
const IN_CONTAINER = 'EXISTS (SELECT 1 FROM containers c WHERE c.image_pk = i.image_pk AND';
const ORDER = 'ORDER BY i.latest_update_time DESC, i.image_id';

export function scopeConditions(scope: Scope, alias = 'i'): Conditions {
  return new Conditions().add(
    `${alias}.project_id = :project_id AND ${alias}.enterprise_project_id IN (SELECT value FROM json_each(:eps))`,
    { project_id: scope.projectId, eps: JSON.stringify(scope.enterpriseProjects) },
  );
}

function filterConditions(scope: Scope, f: ImageFilter): Conditions {
  const bool = (b: boolean | undefined) => (b === undefined ? undefined : b ? 1 : 0);
  return scopeConditions(scope)
    .when(f.image_name_contains, 'instr(i.image_name, :name_part) > 0', 'name_part')
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
  readonly #setStatus;
  readonly #conclude;
  readonly #appCount;
  readonly #byImageId;
  readonly #remove;
  readonly #removeAll;
  readonly #all;
  readonly #allInProject;
  readonly #count;

  constructor(db: Db) {
    this.#statements = new StatementCache(db);
    this.#setStatus = db.prepare('UPDATE images SET scan_status = ? WHERE image_pk = ?');
    this.#conclude = db.prepare(`
      UPDATE images SET scan_status = :scan_status, latest_scan_time = :latest_scan_time,
        scan_failed_desc = :scan_failed_desc, vul_num = :vul_num, severity_level = :severity_level,
        component_num = :component_num, unsafe_setting_num = :unsafe_setting_num,
        malicious_file_num = :malicious_file_num
      WHERE image_pk = :image_pk`);
    this.#appCount = db.prepare('SELECT count(*) AS n FROM apps WHERE image_pk = ?').pluck();
    this.#byImageId = db.prepare('SELECT * FROM images WHERE image_id = ? ORDER BY project_id');
    this.#remove = db.prepare('DELETE FROM images WHERE project_id = ? AND image_id = ?');
    this.#removeAll = db.prepare('DELETE FROM images WHERE project_id = ?');
    this.#all = db.prepare('SELECT * FROM images ORDER BY project_id, latest_update_time DESC, image_id');
    this.#allInProject = db.prepare('SELECT * FROM images WHERE project_id = ? ORDER BY latest_update_time DESC, image_id');
    this.#count = db.prepare('SELECT count(*) FROM images').pluck();
  }

  /** One page in list order, and how many match in all. */
  list(scope: Scope, filter: ImageFilter, page: Page): { total: number; rows: ImageRow[] } {
    const where = filterConditions(scope, filter);
    const total = this.#statements.get(`SELECT count(*) FROM images i ${where.where}`).pluck().get(where.params) as number;
    const rows = this.#statements
      .get(`SELECT i.* FROM images i ${where.where} ${ORDER} LIMIT :limit OFFSET :offset`)
      .all({ ...where.params, ...page }) as ImageRow[];
    return { total, rows };
  }

  /** Every image in scope that passes the filter, in list order. */
  matching(scope: Scope, filter: ImageFilter): ImageRow[] {
    const where = filterConditions(scope, filter);
    return this.#statements.get(`SELECT i.* FROM images i ${where.where} ${ORDER}`).all(where.params) as ImageRow[];
  }

  /** The images in scope equal to every field the item gives. */
  matchingIdentity(scope: Scope, item: ImageIdentity): ImageRow[] {
    const where = scopeConditions(scope)
      .when(item.image_id, 'i.image_id = :image_id', 'image_id')
      .when(item.image_digest, 'i.image_digest = :image_digest', 'image_digest')
      .when(item.image_name, 'i.image_name = :image_name', 'image_name')
      .when(item.image_version, 'i.image_version = :image_version', 'image_version');
    return this.#statements.get(`SELECT i.* FROM images i ${where.where} ${ORDER}`).all(where.params) as ImageRow[];
  }

  /** The hosts each image sits on, ordered by host id (the first is the one a list shows). */
  hostsOf(imagePks: readonly number[]): ImageHostRef[] {
    return this.#statements
      .get(`SELECT ih.image_pk, h.host_id, h.host_name, h.agent_id FROM image_hosts ih
            JOIN hosts h ON h.host_pk = ih.host_pk
            WHERE ih.image_pk IN (SELECT value FROM json_each(?)) ORDER BY ih.image_pk, h.host_id`)
      .all(JSON.stringify(imagePks)) as ImageHostRef[];
  }

  containerCounts(imagePks: readonly number[]): Map<number, number> {
    const rows = this.#statements
      .get(`SELECT image_pk, count(*) AS n FROM containers
            WHERE image_pk IN (SELECT value FROM json_each(?)) GROUP BY image_pk`)
      .all(JSON.stringify(imagePks)) as { image_pk: number; n: number }[];
    return new Map(rows.map((r) => [r.image_pk, r.n]));
  }

  /** The images with this id, in every project (ids are unique only within one). */
  withImageId(imageId: string): ImageRow[] {
    return this.#byImageId.all(imageId) as ImageRow[];
  }

  /** The whole inventory, or one project's, in list order. */
  all(projectId?: string): ImageRow[] {
    return (projectId === undefined ? this.#all.all() : this.#allInProject.all(projectId)) as ImageRow[];
  }

  count(): number {
    return this.#count.get() as number;
  }

  /** One image, or every image of the project; returns how many went. */
  remove(projectId: string, imageId?: string): number {
    return (imageId === undefined ? this.#removeAll.run(projectId) : this.#remove.run(projectId, imageId)).changes;
  }

  appCount(imagePk: number): number {
    return this.#appCount.get(imagePk) as number;
  }

  setStatus(imagePk: number, status: ImageScanStatus): void {
    this.#setStatus.run(status, imagePk);
  }

  conclude(imagePk: number, status: ImageScanStatus, at: number, scanFailedDesc: string, result: ScanResult): void {
    this.#conclude.run({ image_pk: imagePk, scan_status: status, latest_scan_time: at, scan_failed_desc: scanFailedDesc, ...result });
  }
}
