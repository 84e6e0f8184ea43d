/**
 * SHA-256 of text. crypto.hash (Node 20.12+) is a one-shot digest, about twice as fast as a
 * Hash object; on older Node 20 releases a Hash object does the same.
 */
import * as crypto from 'node:crypto';

export const sha256: (text: string | Buffer) => Buffer =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'buffer')
    : (text) => crypto.createHash('sha256').update(text).digest();

export const sha256Hex: (text: string | Buffer) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');
