/**
 * The control plane's use cases on the world: reset (all, or one project), projects,
 * inventory and scan scripts (export and import of the whole state: state-transfer.ts). Each is one transaction;
 * changes they cause to image states are published like any other.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { ImageRepository, ImageRow } from '../db/image-repository.js';
import type { ScanRepository } from '../db/scan-repository.js';
import type { WorldRepository } from '../db/world-repository.js';
import type { StateRepository } from '../db/state-repository.js';
import type { WorldSeeder } from '../world/seed-world.js';
import { imageFindingsProblem, unknownHost } from '../world/read-world.js';
import { findingsProblem, storedImageVulnerabilities, type Vulnerability } from '../domain/vulnerabilities.js';
import type { WorldFixture, ImageFixture } from '../../schemas/fixtures.js';
import type { ImagePageQuery, ProjectBody, ResetBody } from '../../schemas/control.js';
import { IMAGE_SCAN_STATUSES } from '../../schemas/vocabulary.js';
import type { Scope } from '../domain/listing.js';
import type { ScanScriptStep } from '../domain/scan-outcome.js';
import { controlBadRequest, controlConflict, controlNotFound } from '../errors/catalog.js';
import type { ScanProgress } from './scan-progress.js';

export interface AdminImage extends Omit<ImageRow, 'image_pk' | 'scan_rule' | 'vulnerabilities'> {
  scan_script: ScanScriptStep[];
  /** what its last successful scan found (when the view was asked for one image id) */
  vulnerabilities?: Vulnerability[];
}

/** Sorts whose natural order is a-z (the others, times and counts, start with the largest). */
const ASCENDING_BY_DEFAULT: ReadonlySet<string> = new Set(['image_name', 'image_version', 'scan_status']);

export class WorldAdmin {
  constructor(
    private readonly db: Db,
    private readonly world: WorldRepository,
    private readonly images: ImageRepository,
    private readonly scans: ScanRepository,
    private readonly state: StateRepository,
    private readonly seeder: WorldSeeder,
    private readonly progress: ScanProgress,
    /** the fixture world, read when first needed */
    private readonly fixtures: () => WorldFixture,
    /** scan lanes per project */
    private readonly lanes: number,
  ) {}

  /** How many images the world holds, in every project. */
  imageCount(): number {
    return this.images.count();
  }

  /**
   * Back to the fixtures (or empty): everything, or one project while the others keep their
   * state. Published as one reset event at `now` (the ticker then looks at what is left in flight).
   */
  reset(request: ResetBody, now: number): void {
    const fixtures = request.fixtures !== false ? this.fixtures() : undefined;
    const { project_id } = request;
    this.progress.atNow(now, (changes) => {
      if (project_id === undefined) {
        this.state.clearAll();
        if (fixtures) this.seeder.seedWorld(fixtures);
      } else {
        if (!this.world.project(project_id)) throw controlNotFound(`Project ${project_id}`);
        this.state.clearProject(project_id);
        if (fixtures) this.seeder.reseedProject(fixtures, project_id);
      }
      changes.reset({ ...(project_id === undefined ? {} : { project_id }), to: fixtures ? 'fixtures' : 'empty', at: now });
    });
  }

  createProject(body: ProjectBody): { project_id: string; region: string; users: string[]; images: number } {
    const projectId = body.project_id ?? randomBytes(16).toString('hex');
    const users = body.users ?? ['admin'];
    this.db.transaction(() => {
      if (this.world.project(projectId)) throw controlConflict(`Project ${projectId}`);
      this.world.addProject({ project_id: projectId, region: body.region });
      for (const name of users) {
        const userId = this.world.userId(name);
        if (!userId) throw controlBadRequest(`users: unknown user ${name}`);
        this.world.grantProject(userId, projectId);
      }
      const hosts = (body.hosts ?? []).map((h) => ({ ...h, project_id: projectId }));
      const images = (body.images ?? []).map((i) => ({ ...i, project_id: projectId }));
      images.forEach((image, index) => this.#checkImage(image, `images[${index}]`, new Set(hosts.map((h) => h.host_id))));
      this.seeder.seedInventory(projectId, hosts, images);
    })();
    return { project_id: projectId, region: body.region, users: [...users].sort(), images: body.images?.length ?? 0 };
  }

  listProjects() {
    return this.world.projects();
  }

  removeProject(projectId: string): void {
    if (!this.world.removeProject(projectId)) throw controlNotFound(`Project ${projectId}`);
  }

  /** Adds images, or replaces those whose project_id + image_id exist (their scans and script go with them). */
  upsertImages(images: readonly ImageFixture[]): number {
    this.db.transaction(() => {
      images.forEach((image, index) => {
        if (!this.world.project(image.project_id)) throw controlBadRequest(`images[${index}].project_id: unknown project ${image.project_id}`);
        const hostPks = this.world.hostPks(image.project_id);
        this.#checkImage(image, `images[${index}]`, new Set(hostPks.keys()));
        this.images.remove(image.project_id, image.image_id);
        this.seeder.addImage(image, hostPks);
      });
    })();
    return images.length;
  }

  #checkImage(image: ImageFixture, at: string, hosts: ReadonlySet<string>): void {
    if (!this.world.enterpriseProjectIds().includes(image.enterprise_project_id)) {
      throw controlBadRequest(`${at}.enterprise_project_id: unknown enterprise project ${image.enterprise_project_id}`);
    }
    const missing = unknownHost(image, (hostId) => hosts.has(hostId));
    if (missing !== undefined) throw controlBadRequest(`${at}: unknown host ${missing} in project ${image.project_id}`);
    const findings = imageFindingsProblem(image);
    if (findings !== undefined) throw controlBadRequest(`${at}.${findings}`);
  }

  /**
   * The inventory as it stands at `now`, with each image's pending script; asked for one image
   * id, with what its last scan found too (for every image of a big world, that would be
   * millions of findings).
   */
  listImages(projectId: string | undefined, imageId: string | undefined, now: number): AdminImage[] {
    return this.progress.atNow(now, () =>
      imageId === undefined
        ? this.images.all(projectId).map((row) => this.#view(row))
        : this.images
            .withImageId(imageId)
            .filter((row) => projectId === undefined || row.project_id === projectId)
            .map((row) => ({ ...this.#view(row), vulnerabilities: storedImageVulnerabilities(row, this.images.appsOf(row.image_pk)) })),
    );
  }

  #view({ image_pk, scan_rule: _rule, vulnerabilities: _listed, ...image }: ImageRow): AdminImage {
    return { ...image, scan_script: this.scans.script(image_pk) };
  }

  /** A project's whole reach, for the control plane's calls that act as its owner would. */
  scope(projectId: string): Scope {
    if (!this.world.project(projectId)) throw controlNotFound(`Project ${projectId}`);
    return { projectId, enterpriseProjects: this.world.enterpriseProjectIds() };
  }

  /** One page of a project's images as they stand at `now`, and how many are in each status. */
  imagePage(projectId: string, query: ImagePageQuery, now: number) {
    this.scope(projectId);
    const sort = query.sort ?? 'latest_update_time';
    const descending = (query.order ?? (ASCENDING_BY_DEFAULT.has(sort) ? 'asc' : 'desc')) === 'desc';
    const page = { offset: query.offset ?? 0, limit: query.limit ?? 50 };
    return this.progress.readAtNow(now, () => {
      const { total, rows } = this.images.adminPage(projectId, { name_contains: query.name, scan_status: query.scan_status, sort, descending }, page);
      const counts = this.images.statusCounts(projectId);
      return {
        project_id: projectId,
        counts: Object.fromEntries(IMAGE_SCAN_STATUSES.map((status) => [status, counts[status] ?? 0])),
        total,
        ...page,
        images: rows.map((row) => this.#view(row)),
      };
    });
  }

  /** A project's scan lanes at `now`: what is in flight, soonest to change first, and what finished last. */
  laneView(projectId: string, limit: number, now: number) {
    this.scope(projectId);
    return this.progress.readAtNow(now, () => {
      const { inFlight, done } = this.scans.laneView(projectId, limit);
      return { project_id: projectId, now, lanes: this.lanes, in_flight: inFlight, done };
    });
  }

  removeImages(projectId: string, imageId: string | undefined): number {
    const removed = this.images.remove(projectId, imageId);
    if (removed === 0) throw controlNotFound(imageId === undefined ? `An image in project ${projectId}` : `Image ${imageId} in project ${projectId}`);
    return removed;
  }

  /** Replaces the queue of scripted scans of one image. */
  setScript(imageId: string, projectId: string | undefined, steps: readonly ScanScriptStep[]) {
    const candidates = this.images.withImageId(imageId).filter((row) => projectId === undefined || row.project_id === projectId);
    if (candidates.length === 0) throw controlNotFound(`Image ${imageId}${projectId ? ` in project ${projectId}` : ''}`);
    if (candidates.length > 1) throw controlBadRequest(`image ${imageId} is in several projects; add ?project_id=`);
    const image = candidates[0]!;
    const apps = this.images.appsOf(image.image_pk);
    steps.forEach((step, index) => {
      const problem = findingsProblem(step.scan_result, apps);
      if (problem) throw controlBadRequest(`[${index}].scan_result: ${problem}`);
    });
    this.db.transaction(() => this.scans.replaceScript(image.image_pk, steps))();
    return { project_id: image.project_id, image_id: imageId, scan_script: this.scans.script(image.image_pk) };
  }
}
