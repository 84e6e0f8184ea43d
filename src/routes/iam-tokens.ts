/**
 * POST /v3/auth/tokens — KeystoneCreateUserTokenByPassword (IAM). Answers 201 with the
 * token in X-Subject-Token; errors in Keystone's shape and wording, in IAM's content type.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { IamErrorBody, TokenBody, TokenQuery, TokenRequestBody } from '../../schemas/iam.js';
import { ref } from '../../schemas/common.js';
import type { IamService } from '../services/iam-service.js';
import { installErrorHandling, keystoneEnvelope } from '../http/error-handler.js';
import { HssError } from '../errors/catalog.js';
import { parseJsonBodyHook } from '../http/json-body.js';

export function iamTokenRoute(app: FastifyInstance, iam: IamService): void {
  // IAM's text for a body it cannot use; the emulator says after it what is wrong
  const bodyInvalid = (error: HssError) => new HssError(400, '400', `The request body is invalid${error.detail ? `: ${error.detail}` : ''}`);
  installErrorHandling(app, (error, requestId) => keystoneEnvelope(error.statusCode === 400 ? bodyInvalid(error) : error, requestId));
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('content-type', 'application/json;charset=utf8');
  });
  app.addHook('preValidation', parseJsonBodyHook);
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/v3/auth/tokens',
    {
      schema: {
        operationId: 'KeystoneCreateUserTokenByPassword',
        summary: 'Get an IAM user token with a password',
        tags: ['IAM'],
        querystring: TokenQuery,
        body: TokenRequestBody,
        response: { 201: TokenBody, 400: ref(IamErrorBody), 401: ref(IamErrorBody), 413: ref(IamErrorBody), 500: ref(IamErrorBody) },
      },
    },
    async (request, reply) => {
      const endpoint = `${request.protocol}://${request.host}`;
      const withCatalog = !request.query.nocatalog;
      const issued = iam.issueToken(request.body, request.now, endpoint, withCatalog);
      return reply.code(201).header('X-Subject-Token', issued.token).send(issued.body);
    },
  );
}
