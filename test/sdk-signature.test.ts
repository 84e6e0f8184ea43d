/**
 * SDK-HMAC-SHA256 against vectors made by the official SDK core's signer: what it signs,
 * the emulator must verify from the request as it arrives.
 */
import t from 'tap';
import {
  canonicalQueryString,
  canonicalRequest,
  canonicalUri,
  parseAuthorization,
  parseSdkDate,
  signature,
  stringToSign,
} from '../src/auth/sdk-hmac-sha256.js';
import { sdkSign, type SignInput } from './helpers/sdk.js';

const AK = 'HSSEMUADMINAK0000001';
const SK = 'hssEmulatorAdminSecretKey000000000000001';
const AT = Date.UTC(2026, 10, 27, 8, 30, 15);

/** Verifies an SDK-signed request the way the server does; returns what the server computed. */
function serverSignature(input: SignInput) {
  const signed = sdkSign(input);
  const parsed = parseAuthorization(signed.headers.Authorization!)!;
  const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonical = canonicalRequest({
    method: input.method,
    rawUrl: signed.url,
    headers,
    signedHeaders: parsed.signedHeaders,
    body: signed.payload === undefined ? undefined : Buffer.from(signed.payload),
  });
  return { parsed, computed: signature(SK, stringToSign(headers['x-sdk-date']!, canonical)), canonical };
}

const vectors: [string, Omit<SignInput, 'ak' | 'sk' | 'at'>][] = [
  ['a GET with no query and an empty body', { method: 'GET', path: '/v5/2b31ed520b4d4e0a9c3d7f6e5a4b3c21/image/local-repositories' }],
  [
    'a query with several keys, sorted',
    { method: 'GET', path: '/v5/p/image/local-repositories', query: { limit: '50', offset: '0', enterprise_project_id: 'all_granted_eps', has_vul: 'false' } },
  ],
  [
    'non-ASCII and reserved characters in values',
    { method: 'GET', path: '/v5/p/image/local/hosts', query: { host_name: 'nœud ünïcode 节点', image_name: 'a/b:c?d=e&f+g h*(~)!\'', app_name: '' } },
  ],
  ['a repeated key', { method: 'GET', path: '/v5/p/image/local/apps', query: { image_id: ['z', 'a', 'm'] } }],
  [
    'a POST body, hashed as sent',
    { method: 'POST', path: '/v5/p/image/local/batch-scan', query: { enterprise_project_id: '0' }, body: { image_info_list: [{ image_id: 'é' }], operate_all: false } },
  ],
  ['a signed region header', { method: 'POST', path: '/v5/p/image/local/batch-scan', body: {}, headers: { region: 'cn-north-7' } }],
  ['a signed X-Project-Id', { method: 'GET', path: '/v5/p/image/local/containers', projectId: 'p' }],
];

for (const [name, input] of vectors) {
  t.test(name, async (t) => {
    const { parsed, computed } = serverSignature({ ...input, ak: AK, sk: SK, at: AT });
    t.equal(parsed.access, AK);
    t.equal(computed, parsed.signature, 'the server computes the signature the SDK sent');
    if (input.headers?.region) t.ok(parsed.signedHeaders.includes('region'), 'region is signed');
  });
}

t.test('a different body, query or SK gives a different signature', async (t) => {
  const base = { method: 'POST', path: '/v5/p/image/local/batch-scan', body: { operate_all: true }, ak: AK, sk: SK, at: AT };
  const signed = sdkSign(base).headers.Authorization!;
  t.not(sdkSign({ ...base, body: { operate_all: false } }).headers.Authorization, signed);
  t.not(sdkSign({ ...base, query: { a: '1' } }).headers.Authorization, signed);
  t.not(sdkSign({ ...base, sk: 'other' }).headers.Authorization, signed);
});

t.test('canonical pieces', async (t) => {
  t.equal(canonicalUri('/v5/p/image/local-repositories'), '/v5/p/image/local-repositories/');
  t.equal(canonicalUri('/v5/p/'), '/v5/p/');
  t.equal(canonicalUri('/v5/a%20b'), '/v5/a%2520b/', 'each segment is encoded again, as the SDK does');
  t.equal(canonicalQueryString(''), '');
  t.equal(canonicalQueryString('b=2&a=1&a=0&c'), 'a=0&a=1&b=2&c=');
  t.equal(canonicalQueryString('q=a+b%2Bc%20d'), 'q=a%20b%2Bc%20d');
  t.equal(canonicalQueryString("x=!'()*"), 'x=%21%27%28%29%2A');
  t.equal(parseSdkDate('20261127T083015Z'), AT);
  t.equal(parseSdkDate('2026-11-27T08:30:15Z'), undefined);
  t.equal(parseSdkDate('20261340T000000Z'), undefined);
  t.same(parseAuthorization('SDK-HMAC-SHA256 Access=AK, SignedHeaders=Host;X-Sdk-Date, Signature=ab'), {
    access: 'AK',
    signedHeaders: ['host', 'x-sdk-date'],
    signature: 'ab',
  });
  t.equal(parseAuthorization('SDK-HMAC-SHA256 Access=AK'), undefined);
  t.equal(parseAuthorization('Bearer abc'), undefined);
});
