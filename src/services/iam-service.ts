/**
 * KeystoneCreateUserTokenByPassword: check a user's password in the account and issue a
 * token scoped to one project (or to the account). Only the token's hash is stored.
 */
import { sha256Hex } from '../domain/sha256.js';
import type { IdentityRepository, UserRecord, DomainRecord } from '../db/identity-repository.js';
import type { WorldRepository, ProjectRow } from '../db/world-repository.js';
import type { TokenRequestBody, TokenBody } from '../../schemas/iam.js';
import { verifyPassword } from '../auth/passwords.js';
import { newToken, tokenHash } from '../auth/tokens.js';
import { HssError } from '../errors/catalog.js';

export class IamError extends HssError {
  override name = 'IamError';
}

/** IAM's 401 for a wrong user name, password or account; it does not say which. */
export const loginFailed = () => new IamError(401, '401', 'The username or password is wrong.');

/** IAM's 401 for a scope the user may not have. */
export const scopeRefused = () => new IamError(401, '401', 'The request you have made requires authentication.');

export interface IssuedToken {
  token: string;
  body: TokenBody;
}

export class IamService {
  constructor(
    private readonly identities: IdentityRepository,
    private readonly world: WorldRepository,
    private readonly ttlMs: number,
  ) {}

  issueToken(request: TokenRequestBody, now: number, endpoint: string, withCatalog: boolean): IssuedToken {
    const { user: login } = request.auth.identity.password;
    const domain = this.identities.domain();
    const user = this.identities.userByName(login.name);
    if (!domain || !matches(login.domain, domain) || !user || !verifyPassword(login.password, user.password_hash)) {
      throw loginFailed();
    }
    const project = this.#scopedProject(request.auth.scope, user, domain);
    const token = newToken();
    const expiresAt = now + this.ttlMs;
    this.identities.addToken(tokenHash(token), {
      user_id: user.user_id,
      project_id: project?.project_id ?? null,
      issued_at: now,
      expires_at: expiresAt,
    });
    const domainRef = { id: domain.domain_id, name: domain.name };
    return {
      token,
      body: {
        token: {
          expires_at: isoMicros(expiresAt),
          issued_at: isoMicros(now),
          methods: ['password'],
          // ?nocatalog keeps the key, empty; an account-scoped token carries the global catalog
          catalog: withCatalog ? catalog(endpoint, project?.region ?? '*') : [],
          ...(project ? { project: { id: project.project_id, name: project.region, domain: domainRef } } : { domain: domainRef }),
          roles: [{ id: '0', name: 'te_admin' }],
          user: { id: user.user_id, name: user.name, password_expires_at: '', domain: domainRef },
        },
      },
    };
  }

  /** The project the scope names (by id, or by name = region id), if the user holds it; undefined for an account scope. */
  #scopedProject(scope: TokenRequestBody['auth']['scope'], user: UserRecord, domain: DomainRecord): ProjectRow | undefined {
    if (scope.project) {
      const { id, name } = scope.project;
      const project = user.projects
        .map((projectId) => this.world.project(projectId))
        .find((p) => p && (id !== undefined ? p.project_id === id : p.region === name));
      if (!project || (id === undefined && name === undefined)) throw scopeRefused();
      return project;
    }
    if (scope.domain && matches(scope.domain, domain)) return undefined;
    throw scopeRefused();
  }
}

function matches(ref: { id?: string; name?: string }, domain: DomainRecord): boolean {
  if (ref.id === undefined && ref.name === undefined) return false;
  return (ref.id === undefined || ref.id === domain.domain_id) && (ref.name === undefined || ref.name === domain.name);
}

/** `2026-11-27T00:00:00.000000Z`: IAM's microsecond format. */
function isoMicros(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function stableId(text: string): string {
  return sha256Hex(text).slice(0, 32);
}

/** The service catalog of a region (`*`: the global one): HSS and IAM both answer at this emulator's own address. */
function catalog(endpoint: string, region: string) {
  return (['hss', 'iam'] as const).map((name) => ({
    type: name === 'iam' ? 'identity' : name,
    id: stableId(`service/${name}`),
    name,
    endpoints: [
      {
        url: endpoint,
        region,
        region_id: region,
        interface: 'public',
        id: stableId(`endpoint/${name}/${region}`),
      },
    ],
  }));
}
