/** openapi.yaml is what the routes produce, and the running emulator serves the same document. */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { build } from './helpers/build.js';
import { CLOUD_OPERATIONS } from '../schemas/operations.js';
import { Ajv2020 } from 'ajv/dist/2020.js';

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
  t.same(list.responses['400'].content['application/json'].schema, { $ref: '#/components/schemas/ErrorBody' });
  t.match(committed.components.schemas.ErrorBody.properties, { error_code: {}, error_msg: {}, request_id: {} });
  t.ok(committed.paths['/_emulator/reset'].post.tags.includes('Emulator control plane'), 'the control plane has its own tag');
});

t.test('Swagger UI at /_emulator/docs', async (t) => {
  const emu = build(t);
  const { res } = await emu.control('GET', '/_emulator/docs');
  t.equal(res.statusCode, 200);
  t.match(res.body, /swagger/i);
});

t.test('shared shapes are named components, each defined once and every reference resolves', async (t) => {
  t.same(Object.keys(committed.components.schemas).sort(), [
    'ErrorBody',
    'IamErrorBody',
    'ImageLocalInfo',
    'ImageVulInfo',
    'LocalImageAppInfo',
    'LocalImageContainerInfo',
    'LocalImageHostInfo',
  ]);
  const text = readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8');
  t.equal(text.match(/request_id:/g)?.length, 1, 'the error envelope is written out once');
  const refs = [...text.matchAll(/\$ref: "#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
  t.ok(refs.length > 30, 'routes refer to the components');
  t.same(refs.filter((name) => !(name in committed.components.schemas)), [], 'no dangling reference');
  const list = committed.paths['/v5/{project_id}/image/local-repositories'].get.responses['200'].content['application/json'].schema;
  t.same(list.properties.data_list.items, { $ref: '#/components/schemas/ImageLocalInfo' }, 'list items by their SDK model name');
});

t.test("the official example request validates against the document's batch-scan body", async (t) => {
  const example = readFileSync(new URL('./data/batch-scan-example.http', import.meta.url), 'utf8');
  const body = JSON.parse(example.split('\n\n').slice(1).join('\n\n')) as unknown;
  const operation = committed.paths['/v5/{project_id}/image/local/batch-scan'].post;
  const schema = operation.requestBody.content['application/json'].schema;
  const ajv = new Ajv2020({ strict: false });
  t.ok(ajv.validate(schema, body), JSON.stringify(ajv.errors));
  t.notOk(ajv.validate(schema, { image_info_list: [{}] }), 'an empty item is refused by the document too');
  t.ok(ajv.validate(schema, { operate_all: true, image_info_list: [{}] }), '… unless operate_all is true');
});

t.test("Swagger UI's Try it out: a relative server, and a batch-scan example that scans default-world images", async (t) => {
  t.same(committed.servers, [{ url: '/', description: 'the emulator that serves this document' }], 'the origin the document was read from');
  const operation = committed.paths['/v5/{project_id}/image/local/batch-scan'].post;
  const example = operation.requestBody.content['application/json'].example;
  const official = readFileSync(new URL('./data/batch-scan-example.http', import.meta.url), 'utf8');
  t.same(example, JSON.parse(official.split('\n\n').slice(1).join('\n\n')), "the official page's example request");
  const emu = build(t);
  const res = await emu.batchScan(example);
  t.equal(res.statusCode, 200);
  t.equal(res.headers['x-emulator-matched'], '2', 'both images are in the default world');
});
