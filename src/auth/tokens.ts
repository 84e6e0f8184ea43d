/** IAM token values: random, opaque, and stored only as their SHA-256. */
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../domain/sha256.js';

/** Looks like an IAM PKI token (they start with "MII"); carries nothing but randomness. */
export function newToken(): string {
  return `MII${randomBytes(96).toString('base64url')}`;
}

export function tokenHash(token: string): string {
  return sha256Hex(token);
}
