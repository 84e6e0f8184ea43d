/**
 * Authorization: SDK-HMAC-SHA256 — AK/SK request signing as the API gateway checks it:
 * the key must exist, X-Sdk-Date must be within 15 minutes of real time, the signature must
 * match, and a signed X-Project-Id must name the path's project. Five failures in a row lock
 * an AK for five minutes of emulated time.
 *
 * A signature's freshness belongs to the transport, not to the simulation: every SDK signs
 * with its machine's real clock, so X-Sdk-Date is compared with the wall clock in every clock
 * mode, and moving the emulated clock never makes a fresh signature stale.
 */
import type { IdentityRepository } from '../db/identity-repository.js';
import { iamAuthFailed, type HssError } from '../errors/catalog.js';
import { REDACTED, SECRET_HEADERS } from './redaction.js';
import type { Credentials, Principal } from './principal.js';
import {
  canonicalRequest,
  declaredHashMismatch,
  formatSdkDate,
  parseAuthorization,
  parseSdkDate,
  signature,
  signaturesEqual,
  stringToSign,
} from './sdk-hmac-sha256.js';

export const MAX_CLOCK_SKEW_MS = 15 * 60_000;
export const FAILURES_BEFORE_LOCK = 5;
export const LOCK_MS = 5 * 60_000;

const SECRET_HEADER_NAMES = new Set(SECRET_HEADERS);

export class SignatureAuthenticator {
  readonly #identities: IdentityRepository;
  readonly #debugAuth: boolean;
  readonly #wallClock: () => number;

  /** `wallClock`: real time in ms since the epoch, the time signatures are dated in */
  constructor(identities: IdentityRepository, debugAuth: boolean, wallClock: () => number) {
    this.#identities = identities;
    this.#debugAuth = debugAuth;
    this.#wallClock = wallClock;
  }

  authenticate(credentials: Credentials, authorization: string): Principal {
    const parsed = parseAuthorization(authorization);
    if (!parsed) throw iamAuthFailed('verify aksk signature fail', 'the Authorization header is not Access=, SignedHeaders=, Signature=');
    const ak = parsed.access;
    const key = this.#identities.accessKey(ak);
    if (!key) throw iamAuthFailed('Get secretKey failed,ak:******,err:ak not exist', 'unknown AK');
    const { now } = credentials;
    const state = this.#identities.akState(ak);
    if (state.locked_until > now) throw iamAuthFailed('AK access failed to reach the limit,forbidden.', 'the AK is locked after repeated failures');

    const problem = this.#problem(credentials, parsed, key.sk);
    if (problem) {
      const failures = (state.locked_until > 0 ? 0 : state.failures) + 1;
      const locked = failures >= FAILURES_BEFORE_LOCK;
      this.#identities.setAkState(ak, { failures: locked ? 0 : failures, locked_until: locked ? now + LOCK_MS : 0 });
      throw problem;
    }
    // a success clears the count; most keys have none, and then nothing is written
    if (state.failures !== 0 || state.locked_until !== 0) this.#identities.setAkState(ak, { failures: 0, locked_until: 0 });
    const user = this.#identities.userById(key.user_id);
    if (!user) throw iamAuthFailed('Get secretKey failed,ak:******,err:ak not exist');
    return { user: user.name, projects: user.projects, enterpriseGrant: user.enterprise_grant };
  }

  /** What is wrong with the signed request, or undefined when it verifies. */
  #problem(credentials: Credentials, parsed: NonNullable<ReturnType<typeof parseAuthorization>>, sk: string): HssError | undefined {
    const dateHeader = credentials.headers['x-sdk-date'];
    const signedAt = typeof dateHeader === 'string' ? parseSdkDate(dateHeader) : undefined;
    if (signedAt === undefined) return iamAuthFailed('verify aksk signature fail', 'no X-Sdk-Date in YYYYMMDDTHHMMSSZ');
    const realNow = this.#wallClock();
    if (Math.abs(realNow - signedAt) > MAX_CLOCK_SKEW_MS) {
      return iamAuthFailed(
        `signature expired, signature time:${formatSdkDate(signedAt)}, server time:${formatSdkDate(realNow)}`,
        'X-Sdk-Date is more than 15 minutes from real time',
      );
    }
    // EMULATOR: a declared body hash must be the received body's (the gateway's handling is not published):
    // never a way to sign one body and send another
    if (declaredHashMismatch(credentials.headers, credentials.body)) {
      return iamAuthFailed('verify aksk signature fail', 'X-Sdk-Content-Sha256 is not the hash of the body received');
    }
    const canonical = canonicalRequest({ ...credentials, signedHeaders: parsed.signedHeaders });
    const toSign = stringToSign(dateHeader as string, canonical);
    if (!signaturesEqual(signature(sk, toSign), parsed.signature)) {
      if (this.#debugAuth) {
        // EMULATOR: shows what the server signed, so a hand-written signer can be compared; never the SK.
        credentials.debug(
          { canonical_request: redactSecretHeaders(canonical, parsed.signedHeaders), string_to_sign: toSign },
          'AK/SK signature mismatch',
        );
      }
      return iamAuthFailed('verify aksk signature fail', 'the signature does not match the request (see --debug-auth)');
    }
    const projectHeader = credentials.headers['x-project-id'];
    if (parsed.signedHeaders.includes('x-project-id') && projectHeader !== credentials.projectId) {
      return iamAuthFailed('the X-Project-Id header does not match the project in the URL');
    }
    return undefined;
  }
}

function redactSecretHeaders(canonical: string, signedHeaders: readonly string[]): string {
  if (!signedHeaders.some((h) => SECRET_HEADER_NAMES.has(h))) return canonical;
  return canonical
    .split('\n')
    .map((line) => {
      const name = line.slice(0, line.indexOf(':'));
      return SECRET_HEADER_NAMES.has(name) ? `${name}:${REDACTED}` : line;
    })
    .join('\n');
}
