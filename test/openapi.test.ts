/** openapi.yaml is what the routes produce, and the running emulator serves the same document. */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { build } from './helpers/build.js';
import { CLOUD_OPERATIONS } from '../schemas/operations.js';

const committed = parse(readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8'));

t.test('served at /_emulator/openapi.json, equal to the committed openapi.yaml', async (t) => {
  const emu = build(t);
  const { status, body } = await emu.control('GET', '/_emulator/openapi.json');
  t.equal(status, 200);
  t.same(body, committed);
});

t.test('every cloud operation by its SDK name, with ranges and the error envelope', async (t) => {
  const operations = Object.values(committed.paths).flatMap((path) => Object.values(path as Record<string, { operationId?: string }>));
  const ids = operations.map((o) => o.operationId).filter(Boolean);
  t.same(ids.sort(), [...CLOUD_OPERATIONS].sort());
  const list = committed.paths['/v5/{project_id}/image/local-repositories'].get;
  t.match(list.parameters.find((p: { name: string }) => p.name === 'limit'), { in: 'query', schema: { minimum: 10, maximum: 200, default: 10 } });
  t.match(list.responses['400'].content['application/json'].schema.properties, { error_code: {}, error_msg: {}, request_id: {} });
  t.ok(committed.paths['/_emulator/reset'].post.tags.includes('Emulator control plane'), 'the control plane has its own tag');
});

t.test('Swagger UI at /_emulator/docs', async (t) => {
  const emu = build(t);
  const { res } = await emu.control('GET', '/_emulator/docs');
  t.equal(res.statusCode, 200);
  t.match(res.body, /swagger/i);
});
