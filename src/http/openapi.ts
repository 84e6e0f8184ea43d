/**
 * The OpenAPI 3 description, generated from the registered routes and their TypeBox
 * schemas by @fastify/swagger: the cloud operations under their SDK names, IAM, and the
 * control plane under its own tag.
 */
import type { FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import { CONTROL_TAG } from '../../schemas/control.js';
import { VERSION } from '../package-info.js';

export function installOpenApi(app: FastifyInstance): void {
  app.register(fastifySwagger, {
    // shared schemas (schemas/components.ts) keep their $id as their component name
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'hss-emulator',
        version: VERSION,
        description:
          'A local emulator of the Huawei Cloud Host Security Service (HSS) v5 local-image scanning API, ' +
          'with IAM token issuance and a control plane for tests.',
      },
      // relative: Swagger UI and clients reading the served document call the origin they read it from
      // (any port, behind Docker port mapping or Testcontainers' random ports)
      servers: [{ url: '/', description: 'the emulator that serves this document' }],
      tags: [
        { name: 'HSS local images', description: 'The real service\'s routes, bodies and errors' },
        { name: 'IAM', description: 'Password login for an X-Auth-Token' },
        { name: CONTROL_TAG, description: 'Emulator only: reset, clock, faults, journal, events, metrics' },
      ],
      components: {
        securitySchemes: {
          token: { type: 'apiKey', in: 'header', name: 'X-Auth-Token', description: 'X-Subject-Token of POST /v3/auth/tokens' },
          aksk: {
            type: 'apiKey',
            in: 'header',
            name: 'Authorization',
            description: 'SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<names>, Signature=<hex>, with X-Sdk-Date',
          },
        },
      },
    },
  });
}
