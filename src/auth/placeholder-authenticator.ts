/**
 * EMULATOR: a placeholder.
 * Until IAM tokens and AK/SK signatures are verified: any non-empty credential acts as the
 * account's admin; none at all is the gateway's 401.
 */
import { iamAuthFailed } from '../http/errors.js';
import type { Authenticator, Credentials, Principal } from './principal.js';

const ADMIN: Principal = { user: 'admin', projects: 'all', enterpriseGrant: 'all' };

export class PlaceholderAuthenticator implements Authenticator {
  authenticate({ headers }: Credentials): Principal {
    const token = headers['x-auth-token'];
    const authorization = headers['authorization'];
    if (nonEmpty(token) || nonEmpty(authorization)) return ADMIN;
    throw iamAuthFailed('x-auth-token not found');
  }
}

function nonEmpty(value: string | string[] | undefined): boolean {
  return typeof value === 'string' ? value.trim() !== '' : Array.isArray(value) && value.length > 0;
}
