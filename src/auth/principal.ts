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
  headers: Readonly<Record<string, string | string[] | undefined>>;
  projectId: string;
  now: number;
}

/**
 * Checks a request's credentials: returns who it acts as, or throws the API gateway's
 * 401. The identity model slots in here without any route changing.
 */
export interface Authenticator {
  authenticate(credentials: Credentials): Principal;
}
