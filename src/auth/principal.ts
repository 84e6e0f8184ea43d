/** Who a request acts as, once its credentials are checked. */
import type { EnterpriseGrant } from '../domain/enterprise-scope.js';

export interface Principal {
  /** the IAM user name */
  user: string;
  /** the projects the credential may act in */
  projects: 'all' | readonly string[];
  enterpriseGrant: EnterpriseGrant;
}

/** The parts of a request an authenticator may look at. */
export interface Credentials {
  method: string;
  /** path and query exactly as on the request line */
  rawUrl: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** the body bytes as received, if any */
  body: Buffer | undefined;
  /** the project in the request path */
  projectId: string;
  now: number;
  /** debug logging for the request, used only when debug_auth is on */
  debug(details: Record<string, unknown>, message: string): void;
}

/** Every project and enterprise project: the account's admin. */
export const ACCOUNT_ADMIN: Principal = { user: 'admin', projects: 'all', enterpriseGrant: 'all' };

/**
 * Checks a request's credentials: returns who it acts as, or throws the API gateway's
 * 401. The identity model slots in here without any route changing.
 */
export interface Authenticator {
  authenticate(credentials: Credentials): Principal;
}
