/**
 * What counts as a secret, in one list, and the ways it is kept out of what the emulator
 * shows: the request journal, log lines, debug output. A value is secret when its key (a
 * JSON field, a query parameter) or header name says so.
 */

/** Field and query-parameter names whose values are secrets. */
const SECRET_NAME = /pass(word)?|secret|^sk$|token|authorization|signature|credential/i;

/** Headers whose values are secrets; never logged, even in debug output. */
export const SECRET_HEADERS: readonly string[] = [
  'authorization',
  'x-auth-token',
  'x-subject-token',
  'x-security-token',
  'cookie',
  'set-cookie',
];

export const REDACTED = '[redacted]';

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** A path with query string, with every secret-named parameter's value replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // a malformed escape is judged as it stands
      }
      return eq >= 0 && isSecretName(decoded) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${url.slice(0, q + 1)}${query}`;
}

export interface BoundedJson {
  /** JSON text of at most about maxBytes characters; when truncated, not valid JSON */
  text: string;
  truncated: boolean;
}

/**
 * JSON text of `value` with secret-named fields replaced, written only up to `maxChars`
 * and `maxDepth`: neither a huge nor a deeply nested body costs more than that to record.
 */
export function redactedJson(value: unknown, maxChars: number, maxDepth = 32): BoundedJson {
  const parts: string[] = [];
  let length = 0;
  const emit = (text: string): boolean => {
    parts.push(text);
    length += text.length;
    return length <= maxChars;
  };
  const write = (v: unknown, depth: number): boolean => {
    if (v === null || typeof v !== 'object') return emit(JSON.stringify(v) ?? 'null');
    if (depth >= maxDepth) return emit(JSON.stringify('[nested too deep]'));
    if (Array.isArray(v)) {
      if (!emit('[')) return false;
      for (let i = 0; i < v.length; i++) {
        if ((i > 0 && !emit(',')) || !write(v[i], depth + 1)) return false;
      }
      return emit(']');
    }
    if (!emit('{')) return false;
    let first = true;
    for (const [key, item] of Object.entries(v)) {
      if (!first && !emit(',')) return false;
      first = false;
      if (!emit(`${JSON.stringify(key)}:`)) return false;
      if (!(isSecretName(key) ? emit(JSON.stringify(REDACTED)) : write(item, depth + 1))) return false;
    }
    return emit('}');
  };
  const complete = write(value, 0);
  const text = parts.join('');
  return complete ? { text, truncated: false } : { text: text.slice(0, maxChars), truncated: true };
}

/** A deep copy with secret-named fields replaced, as a value (small inputs: query strings, faults). */
export function redact(value: unknown): unknown {
  // the usual case, a query string: one level of plain values, copied as it stands
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.every(([, v]) => v === null || typeof v !== 'object')) {
      return Object.fromEntries(entries.map(([k, v]) => [k, isSecretName(k) ? REDACTED : v]));
    }
  }
  return JSON.parse(redactedJson(value, Number.MAX_SAFE_INTEGER).text) as unknown;
}
