/**
 * What IAM tells a signed-in caller about the account: its projects (KeystoneListProjects),
 * its domain (KeystoneListAuthDomains) and its regions (KeystoneListRegions) — the look-ups an
 * SDK makes when its credentials carry no project id or domain id. A project's name is its
 * region, and its parent is the account, as in the cloud.
 */
import type { Principal } from '../auth/principal.js';
import type { IdentityRepository } from '../db/identity-repository.js';
import type { ProjectRow, WorldRepository } from '../db/world-repository.js';
import type { ListDomainsBody, ListProjectsBody, ListProjectsQuery, ListRegionsBody, ProjectResult } from '../../schemas/iam.js';

export class IamDirectory {
  constructor(
    private readonly identities: IdentityRepository,
    private readonly world: WorldRepository,
  ) {}

  /** The projects the caller's user holds that match the query, a page at a time when asked. */
  listProjects(principal: Principal, query: ListProjectsQuery, endpoint: string, selfUrl: string): ListProjectsBody {
    const domainId = this.identities.domain()?.domain_id ?? '';
    const visible = this.#projectsOf(principal).map((project) => projectResult(project, domainId, endpoint));
    const matching = visible.filter(
      (p) =>
        (query.name === undefined || p.name === query.name) &&
        (query.domain_id === undefined || p.domain_id === query.domain_id) &&
        (query.parent_id === undefined || p.parent_id === query.parent_id) &&
        (query.enabled === undefined || String(p.enabled) === query.enabled) &&
        (query.is_domain === undefined || String(p.is_domain) === query.is_domain),
    );
    const links = { self: selfUrl, previous: null as string | null, next: null as string | null };
    if (query.page === undefined && query.per_page === undefined) return { links, projects: matching };
    const page = query.page ?? 1;
    const perPage = query.per_page ?? 5000;
    const pageUrl = (n: number) => {
      const url = new URL(selfUrl);
      url.searchParams.set('page', String(n));
      url.searchParams.set('per_page', String(perPage));
      return url.toString();
    };
    if (page > 1) links.previous = pageUrl(page - 1);
    if (page * perPage < matching.length) links.next = pageUrl(page + 1);
    return { links, projects: matching.slice((page - 1) * perPage, page * perPage) };
  }

  /** The account the caller belongs to. */
  listDomains(endpoint: string): ListDomainsBody {
    const domain = this.identities.domain();
    return {
      links: { self: `${endpoint}/v3/auth/domains` },
      domains: domain
        ? [{ id: domain.domain_id, name: domain.name, enabled: true, description: '', links: { self: `${endpoint}/v3/domains/${domain.domain_id}` } }]
        : [],
    };
  }

  /** The regions the account's projects are in. */
  listRegions(endpoint: string): ListRegionsBody {
    const regions = [...new Set(this.world.projectRows().map((p) => p.region))].sort();
    return {
      links: { self: `${endpoint}/v3/regions`, previous: null, next: null },
      regions: regions.map((id) => ({
        id,
        type: 'public',
        description: '',
        parent_region_id: null,
        // EMULATOR: the cloud shows each region's display names; the emulator knows only the id.
        locales: { 'en-us': id },
        links: { self: `${endpoint}/v3/regions/${id}` },
      })),
    };
  }

  #projectsOf(principal: Principal): ProjectRow[] {
    const all = this.world.projectRows();
    if (principal.projects === 'all') return all;
    // the user's grants, whatever project a token was scoped to
    const held = new Set(this.identities.userByName(principal.user)?.projects ?? principal.projects);
    return all.filter((p) => held.has(p.project_id));
  }
}

function projectResult(project: ProjectRow, domainId: string, endpoint: string): ProjectResult {
  return {
    id: project.project_id,
    name: project.region,
    domain_id: domainId,
    description: '',
    enabled: true,
    is_domain: false,
    parent_id: domainId,
    links: { self: `${endpoint}/v3/projects/${project.project_id}` },
  };
}
