/**
 * The API gateway's choice of check, by auth mode (emulator.md §3.3):
 * - strict: an SDK-HMAC-SHA256 signature or an IAM token, fully verified;
 * - permissive: any non-empty token or well-formed signature acts as the account's admin;
 * - off: no credentials needed at all.
 */
import type { AuthMode } from '../config/options.js';
import type { IdentityRepository } from '../db/identity-repository.js';
import { iamAuthFailed } from '../errors/catalog.js';
import { ACCOUNT_ADMIN, type Authenticator, type Credentials, type Principal } from './principal.js';
import { parseAuthorization } from './sdk-hmac-sha256.js';
import { SignatureAuthenticator } from './signature-authenticator.js';
import { TokenAuthenticator } from './token-authenticator.js';

function header(credentials: Credentials, name: string): string | undefined {
  const value = credentials.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text && text.trim() !== '' ? text : undefined;
}

const isSignature = (authorization: string | undefined) => authorization?.trimStart().startsWith('SDK-HMAC-SHA256') === true;

class StrictGateway implements Authenticator {
  constructor(
    private readonly signatures: SignatureAuthenticator,
    private readonly tokens: TokenAuthenticator,
  ) {}

  authenticate(credentials: Credentials): Principal {
    const authorization = header(credentials, 'authorization');
    if (isSignature(authorization)) return this.signatures.authenticate(credentials, authorization!);
    const token = header(credentials, 'x-auth-token');
    if (token) return this.tokens.authenticate(token, credentials.now);
    throw iamAuthFailed(
      authorization ? 'Unauthorized' : 'x-auth-token not found',
      authorization ? 'the Authorization header is not SDK-HMAC-SHA256' : 'neither X-Auth-Token nor an AK/SK signature',
    );
  }
}

/** EMULATOR: for demos with made-up credentials. */
class PermissiveGateway implements Authenticator {
  authenticate(credentials: Credentials): Principal {
    const authorization = header(credentials, 'authorization');
    if (authorization && parseAuthorization(authorization)) return ACCOUNT_ADMIN;
    if (header(credentials, 'x-auth-token')) return ACCOUNT_ADMIN;
    throw iamAuthFailed(authorization ? 'verify aksk signature fail' : 'x-auth-token not found');
  }
}

/** EMULATOR: no authentication at all. */
class OpenGateway implements Authenticator {
  authenticate(): Principal {
    return ACCOUNT_ADMIN;
  }
}

/** `wallClock`: real time, which signatures are checked against (tokens live in emulated time) */
export function createGateway(mode: AuthMode, identities: IdentityRepository, debugAuth: boolean, wallClock: () => number): Authenticator {
  switch (mode) {
    case 'strict':
      return new StrictGateway(new SignatureAuthenticator(identities, debugAuth, wallClock), new TokenAuthenticator(identities));
    case 'permissive':
      return new PermissiveGateway();
    case 'off':
      return new OpenGateway();
  }
}
