/** GET/POST/DELETE /_emulator/faults: inject errors or latency per operation. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { CONTROL_TAG, FaultBody, FaultParams, FaultsQuery } from '../../schemas/control.js';
import { PROJECT_OPERATIONS } from '../../schemas/operations.js';
import { controlBadRequest, controlNotFound } from '../errors/catalog.js';
import type { ControlDeps } from './deps.js';

export function faultRoutes(app: FastifyInstance, { faults }: ControlDeps): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = [CONTROL_TAG];
  typed.post('/_emulator/faults', { schema: { tags, summary: 'Add a fault rule', body: FaultBody } }, async (request, reply) => {
    const { operation, project_id } = request.body;
    if (project_id !== undefined && !PROJECT_OPERATIONS.includes(operation)) {
      throw controlBadRequest(`project_id: ${operation} names no project in its path; a project's rule takes one of ${PROJECT_OPERATIONS.join(', ')}`);
    }
    return reply.code(201).send(faults.add(request.body));
  });
  typed.get('/_emulator/faults', { schema: { tags, summary: 'The fault rules and their hits (all, or one project\'s)', querystring: FaultsQuery } }, async (request) => ({
    faults: faults.list(request.query.project_id),
  }));
  typed.delete('/_emulator/faults', { schema: { tags, summary: 'Remove every fault rule, or one project\'s', querystring: FaultsQuery } }, async (request, reply) => {
    faults.removeAll(request.query.project_id);
    return reply.code(204).send();
  });
  typed.delete('/_emulator/faults/:id', { schema: { tags, summary: 'Remove one fault rule', params: FaultParams } }, async (request, reply) => {
    if (!faults.remove(request.params.id)) throw controlNotFound(`Fault ${request.params.id}`);
    return reply.code(204).send();
  });
}
