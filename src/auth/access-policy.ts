/**
 * After authentication: may this principal act in the path's project, does the `region`
 * header fit it, and which enterprise projects does the request reach (hss-api.md §1.1,
 * emulator.md §3.3).
 */
import type { WorldRepository } from '../db/world-repository.js';
import type { Scope } from '../domain/listing.js';
import { resolveEnterpriseScope } from '../domain/enterprise-scope.js';
import { insufficientPermission, invalidParameter, notAuthorized } from '../errors/catalog.js';
import type { Principal } from './principal.js';

export class AccessPolicy {
  readonly #world: WorldRepository;

  constructor(world: WorldRepository) {
    this.#world = world;
  }

  scopeFor(principal: Principal, projectId: string, enterpriseProjectId: string | undefined, region: string | undefined): Scope {
    const project = this.#world.project(projectId);
    const granted = principal.projects === 'all' || principal.projects.includes(projectId);
    // EMULATOR: an unknown project is refused like a foreign one (the real answer is not published).
    if (!project || !granted) throw notAuthorized();
    if (region !== undefined && region !== project.region) {
      throw invalidParameter(`region ${region} is not the region of project ${projectId}`);
    }
    const resolved = resolveEnterpriseScope(enterpriseProjectId, principal.enterpriseGrant, this.#world.enterpriseProjectIds());
    if (!resolved.ok) throw insufficientPermission(resolved.requested);
    return { projectId, enterpriseProjects: resolved.enterpriseProjects };
  }
}
