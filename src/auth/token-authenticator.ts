/**
 * X-Auth-Token: an IAM token issued by POST /v3/auth/tokens. Unknown tokens are the gateway's
 * "decrypt token fail", expired ones APIGW.0307; a token acts only in the project it was
 * scoped to (the access policy turns any other into 403 APIGW.0302).
 */
import type { IdentityRepository } from '../db/identity-repository.js';
import { iamAuthFailed, tokenExpired } from '../errors/catalog.js';
import type { Principal } from './principal.js';
import { tokenHash } from './tokens.js';

export class TokenAuthenticator {
  readonly #identities: IdentityRepository;

  constructor(identities: IdentityRepository) {
    this.#identities = identities;
  }

  authenticate(token: string, now: number): Principal {
    const record = this.#identities.token(tokenHash(token.trim()));
    const user = record && this.#identities.userById(record.user_id);
    if (!record || !user) throw iamAuthFailed('decrypt token fail', 'an unknown X-Auth-Token');
    if (now >= record.expires_at) throw tokenExpired();
    const scoped = record.project_id;
    return {
      user: user.name,
      projects: scoped !== null && user.projects.includes(scoped) ? [scoped] : [],
      enterpriseGrant: user.enterprise_grant,
    };
  }
}
