/**
 * The SDK-HMAC-SHA256 signature of Huawei Cloud's API gateway (hss-api.md §6), computed the
 * way the server must: from the request as received — raw path, raw query, the headers the
 * client named in SignedHeaders, the raw body bytes. Pure functions, no I/O.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../domain/sha256.js';

export const ALGORITHM = 'SDK-HMAC-SHA256';
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface ParsedAuthorization {
  access: string;
  signedHeaders: string[];
  signature: string;
}

/** `SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex`, or undefined if not of that form. */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const match = /^SDK-HMAC-SHA256\s+(.*)$/.exec(header.trim());
  if (!match) return undefined;
  const parts = new Map<string, string>();
  for (const part of match[1]!.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) parts.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const access = parts.get('Access');
  const signedHeaders = parts.get('SignedHeaders');
  const signature = parts.get('Signature');
  if (!access || !signedHeaders || !signature) return undefined;
  return { access, signedHeaders: signedHeaders.split(';').map((h) => h.trim().toLowerCase()), signature };
}

/** `20191115T033655Z` → ms since the epoch, or undefined when malformed. */
export function parseSdkDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  return back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h < 24 && mi < 60 && s < 60 ? ms : undefined;
}

export function formatSdkDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 3986 percent-encoding of UTF-8: only A-Z a-z 0-9 - _ . ~ stay as they are. */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Each segment of the path as received encoded again, and a trailing slash. */
export function canonicalUri(rawPath: string): string {
  const encoded = rawPath.split('/').map(uriEncode).join('/');
  return encoded.endsWith('/') ? encoded : `${encoded}/`;
}

/** Keys sorted, repeated keys' values sorted, each `enc(key)=enc(value)`, joined by `&`. */
export function canonicalQueryString(rawQuery: string): string {
  const byKey = new Map<string, string[]>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeQueryPart(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeQueryPart(pair.slice(eq + 1));
    byKey.set(key, [...(byKey.get(key) ?? []), value]);
  }
  return [...byKey.keys()]
    .sort()
    .flatMap((key) => byKey.get(key)!.sort().map((value) => `${uriEncode(key)}=${uriEncode(value)}`))
    .join('&');
}

function decodeQueryPart(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

export interface SignableRequest {
  method: string;
  /** path and query exactly as on the request line */
  rawUrl: string;
  /** lower-case names, as Node delivers them */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  signedHeaders: readonly string[];
  body: Buffer | undefined;
}

export function canonicalRequest(request: SignableRequest): string {
  const q = request.rawUrl.indexOf('?');
  const path = q < 0 ? request.rawUrl : request.rawUrl.slice(0, q);
  const query = q < 0 ? '' : request.rawUrl.slice(q + 1);
  const headerLines = request.signedHeaders.map((name) => `${name}:${headerValue(request.headers[name])}\n`).join('');
  return [
    request.method.toUpperCase(),
    canonicalUri(path),
    canonicalQueryString(query),
    headerLines,
    request.signedHeaders.join(';'),
    payloadHash(request.headers, request.body),
  ].join('\n');
}

function headerValue(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/**
 * The hash in the canonical request: always that of the bytes received. The one exception
 * the gateway documents is `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD`, which signs the literal
 * instead of the body. A declared hash is never taken on trust: if it is not the body's,
 * the signature the client computed over it cannot match.
 */
function payloadHash(headers: SignableRequest['headers'], body: Buffer | undefined): string {
  if (headers['x-sdk-content-sha256'] === UNSIGNED_PAYLOAD) return UNSIGNED_PAYLOAD;
  return body && body.length > 0 ? sha256Hex(body) : EMPTY_BODY_SHA256;
}

/** A declared X-Sdk-Content-Sha256 other than UNSIGNED-PAYLOAD that is not the hash of the body received. */
export function declaredHashMismatch(headers: SignableRequest['headers'], body: Buffer | undefined): boolean {
  const declared = headers['x-sdk-content-sha256'];
  if (declared === undefined || declared === UNSIGNED_PAYLOAD) return false;
  return typeof declared !== 'string' || declared.toLowerCase() !== payloadHash({}, body);
}

export function stringToSign(sdkDate: string, canonical: string): string {
  return [ALGORITHM, sdkDate, sha256Hex(canonical)].join('\n');
}

export function signature(sk: string, toSign: string): string {
  return createHmac('sha256', sk).update(toSign).digest('hex');
}

export function signaturesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
