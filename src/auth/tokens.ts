/** IAM token values: random, opaque, and stored only as their SHA-256. */
import { createHash, randomBytes } from 'node:crypto';

/** Looks like an IAM PKI token (they start with "MII"); carries nothing but randomness. */
export function newToken(): string {
  return `MII${randomBytes(96).toString('base64url')}`;
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
