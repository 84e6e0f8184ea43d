/** SQL for what surrounds local images: the hosts holding them, their containers, their software. */
import type { Db } from './database.js';
import { PAGE_CLAUSE, StatementCache, type Conditions, type Named } from './statement-cache.js';
import { identityConditions, scopeConditions } from './image-repository.js';
import type { Listing, Page, Scope } from '../domain/listing.js';
import type { StoredImage } from '../domain/vulnerabilities.js';
import type { LocalImageAppInfo, LocalImageContainerInfo, LocalImageHostInfo } from '../../schemas/local-image-details.js';

/** Exact image fields that narrow which images' hosts or containers are listed. */
export interface ImageSelector {
  image_digest?: string;
  image_name?: string;
  image_version?: string;
  agent_id?: string;
}

/** The images a detail list is about: equal in every image field given, on the agent if given. */
function selectorConditions(scope: Scope, selector: ImageSelector): Conditions {
  return identityConditions(scope, selector).when(selector.agent_id, 'h.agent_id = :agent_id', 'agent_id');
}

/** One image, with what its vulnerabilities are worked out from (domain/vulnerabilities.ts). */
export interface VulnerableImageRow extends StoredImage {
  image_pk: number;
  image_name: string;
  image_version: string;
}

export class ImageDetailsRepository {
  readonly #statements: StatementCache;

  constructor(db: Db) {
    this.#statements = new StatementCache(db);
  }

  /** One image in scope, by id, with what its findings are worked out from. */
  vulnerableImage(scope: Scope, imageId: string): VulnerableImageRow | undefined {
    const where = scopeConditions(scope).add('i.image_id = :image_id', { image_id: imageId });
    return this.#statements
      .get<[Named], VulnerableImageRow>(
        `SELECT i.image_pk, i.image_name, i.image_version, i.image_digest, i.scan_status, i.vul_num, i.severity_level, i.vulnerabilities FROM images i ${where.where}`,
      )
      .get(where.params);
  }

  #page<T>(from: string, where: Conditions, countOf: string, columns: string, order: string, page: Page): Listing<T> {
    const total = this.#statements.get<[Named], number>(`SELECT count(${countOf}) ${from} ${where.where}`).pluck().get(where.params) ?? 0;
    const rows = this.#statements
      .get<[Named], T>(`SELECT ${columns} ${from} ${where.where} ${order} ${PAGE_CLAUSE}`)
      .all({ ...where.params, ...page });
    return { total, rows };
  }

  /** Distinct hosts holding at least one selected image. */
  hosts(scope: Scope, selector: ImageSelector & { host_name?: string }, page: Page): Listing<LocalImageHostInfo> {
    const where = selectorConditions(scope, selector).when(
      selector.host_name,
      'instr(h.host_name, :host_name) > 0',
      'host_name',
    );
    return this.#page(
      'FROM hosts h JOIN image_hosts ih ON ih.host_pk = h.host_pk JOIN images i ON i.image_pk = ih.image_pk',
      where,
      'DISTINCT h.host_pk',
      `DISTINCT h.agent_id, h.agent_status, h.host_name, h.host_id, h.version, h.private_ip,
       h.public_ip, h.docker_name, h.docker_type`,
      'ORDER BY h.host_name, h.host_id',
      page,
    );
  }

  /** Containers started from the selected images. */
  containers(scope: Scope, selector: ImageSelector & { container_id?: string }, page: Page): Listing<LocalImageContainerInfo> {
    const where = selectorConditions(scope, selector).when(
      selector.container_id,
      'c.container_id = :container_id',
      'container_id',
    );
    return this.#page(
      'FROM containers c JOIN images i ON i.image_pk = c.image_pk JOIN hosts h ON h.host_pk = c.host_pk',
      where,
      '*',
      `h.agent_id, c.container_name, c.container_id, h.host_id, h.host_name, c.pod_id, c.pod_name,
       h.private_ip, h.public_ip, c.entry_point`,
      'ORDER BY c.container_name, c.container_id',
      page,
    );
  }

  /**
   * Software inside one image, as its last successful scan found it: none before one (or after
   * a failed one, which clears the findings), so the count always equals its component_num.
   */
  apps(scope: Scope, imageId: string, appName: string | undefined, page: Page): Listing<LocalImageAppInfo> {
    const where = scopeConditions(scope)
      .add('i.image_id = :image_id AND i.component_num > 0', { image_id: imageId })
      .when(appName, 'instr(a.app_name, :app_name) > 0', 'app_name');
    return this.#page(
      'FROM apps a JOIN images i ON i.image_pk = a.image_pk',
      where,
      '*',
      'a.app_name, a.app_type, a.app_version, a.vul_num',
      'ORDER BY a.app_name, a.app_version, a.app_pk',
      page,
    );
  }
}
