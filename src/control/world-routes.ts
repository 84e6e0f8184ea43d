/** Reset, projects, inventory, scan scripts and the state snapshot. */
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  CONTROL_TAG,
  ImagePageQuery,
  ImagesBody,
  ImagesQuery,
  ProjectScansQuery,
  ProjectBody,
  ResetBody,
  ScriptBody,
  ScriptParams,
  ScriptQuery,
  StateQuery,
} from '../../schemas/control.js';
import { ProjectParams } from '../../schemas/common.js';
import { BatchScanBody } from '../../schemas/batch-scan.js';
import { controlBadRequest } from '../errors/catalog.js';
import type { ControlDeps } from './deps.js';

const tags = [CONTROL_TAG];

export function worldRoutes(app: FastifyInstance, { admin, scans, stateTransfer, clock }: ControlDeps): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  typed.post(
    '/_emulator/reset',
    {
      schema: { tags, summary: 'Back to the fixtures (or empty), for everything or one project', body: ResetBody },
      // no body at all means {}: reset everything to the fixtures
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      admin.reset(request.body, clock.now());
      return { reset: request.body.project_id ?? 'all', fixtures: request.body.fixtures !== false };
    },
  );

  typed.post('/_emulator/projects', { schema: { tags, summary: 'Create a project with grants, hosts and images', body: ProjectBody } }, async (request, reply) =>
    reply.code(201).send(admin.createProject(request.body)),
  );
  typed.get('/_emulator/projects', { schema: { tags, summary: 'List projects' } }, async () => ({ projects: admin.listProjects() }));
  typed.delete('/_emulator/projects/:project_id', { schema: { tags, summary: 'Remove a project and all in it', params: ProjectParams } }, async (request, reply) => {
    admin.removeProject(request.params.project_id);
    return reply.code(204).send();
  });

  typed.get(
    '/_emulator/projects/:project_id/images',
    { schema: { tags, summary: "A page of the project's images, filtered and sorted, with how many are in each scan status", params: ProjectParams, querystring: ImagePageQuery } },
    async (request) => admin.imagePage(request.params.project_id, request.query, clock.now()),
  );
  typed.get(
    '/_emulator/projects/:project_id/scans',
    { schema: { tags, summary: "The project's scan lanes: scans in flight (soonest to change first) and the latest finished", params: ProjectParams, querystring: ProjectScansQuery } },
    async (request) => admin.laneView(request.params.project_id, request.query.limit ?? 200, clock.now()),
  );
  typed.post(
    '/_emulator/projects/:project_id/batch-scan',
    {
      schema: {
        tags,
        summary: 'Batch-scan as the project owner would, without cloud credentials (the body of BatchScanLocalImage); says how many scans started',
        params: ProjectParams,
        body: BatchScanBody,
      },
    },
    async (request) => scans.batchScan(admin.scope(request.params.project_id), request.body, clock.now()),
  );

  typed.post('/_emulator/images', { schema: { tags, summary: 'Add or replace images', body: ImagesBody } }, async (request) => ({
    upserted: admin.upsertImages(request.body.images),
  }));
  typed.get('/_emulator/images', { schema: { tags, summary: 'The inventory now, with pending scripts', querystring: ImagesQuery } }, async (request) => ({
    images: admin.listImages(request.query.project_id, request.query.image_id, clock.now()),
  }));
  typed.delete('/_emulator/images', { schema: { tags, summary: 'Remove one image, or all of a project', querystring: ImagesQuery } }, async (request) => {
    const { project_id, image_id } = request.query;
    if (project_id === undefined) throw controlBadRequest('project_id is required');
    return { removed: admin.removeImages(project_id, image_id) };
  });
  typed.post(
    '/_emulator/images/:image_id/script',
    { schema: { tags, summary: 'Script the next scans of an image', params: ScriptParams, querystring: ScriptQuery, body: ScriptBody } },
    async (request) => admin.setScript(request.params.image_id, request.query.project_id, request.body),
  );

  typed.get(
    '/_emulator/state',
    { schema: { tags, summary: 'Export the whole state (SKs only with include_secrets=true)', querystring: StateQuery } },
    async (request, reply) =>
      reply.type('application/json; charset=utf-8').send(stateTransfer.exportStream({ secrets: request.query.include_secrets === true })),
  );

  // The import streams its body (any size, bounded memory) instead of parsing it whole.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', (_request, payload, done) => done(null, payload));
    scope.withTypeProvider<TypeBoxTypeProvider>().put(
      '/_emulator/state',
      { schema: { tags, summary: 'Replace the whole state with an export (a streamed JSON body of any size)' } },
      async (request) => {
        await stateTransfer.importStream(request.body as Readable, clock.now());
        return { imported: true };
      },
    );
  });
}
