/**
 * GET /v5/{project_id}/image/local/hosts, /containers and /apps — ListLocalImageHosts,
 * ListLocalImageContainers, ListLocalImageAppInfo.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  ListLocalImageAppInfoQuery,
  ListLocalImageAppInfoResponse,
  ListLocalImageContainersQuery,
  ListLocalImageContainersResponse,
  ListLocalImageHostsQuery,
  ListLocalImageHostsResponse,
} from '../../schemas/local-image-details.js';
import { CLOUD_SECURITY, ProjectParams, RegionHeaders, errorResponses } from '../../schemas/common.js';
import type { InventoryService } from '../services/inventory-service.js';
import { listBody, pageOf } from './paging.js';

const common = { tags: ['HSS local images'], security: CLOUD_SECURITY, params: ProjectParams };
// The hosts and containers lists define a `region` header; the apps list defines none (a client's region header is ignored there).
const withRegion = { ...common, headers: RegionHeaders };

export function localImageDetailRoutes(app: FastifyInstance, inventory: InventoryService): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  typed.get(
    '/v5/:project_id/image/local/hosts',
    {
      schema: {
        ...withRegion,
        operationId: 'ListLocalImageHosts',
        summary: 'List the hosts that hold local images',
        querystring: ListLocalImageHostsQuery,
        response: { 200: ListLocalImageHostsResponse, ...errorResponses },
      },
    },
    async ({ scope, query, now }) => listBody(inventory.listHosts(scope, query, pageOf(query), now)),
  );

  typed.get(
    '/v5/:project_id/image/local/containers',
    {
      schema: {
        ...withRegion,
        operationId: 'ListLocalImageContainers',
        summary: 'List the containers started from local images',
        querystring: ListLocalImageContainersQuery,
        response: { 200: ListLocalImageContainersResponse, ...errorResponses },
      },
    },
    async ({ scope, query, now }) => listBody(inventory.listContainers(scope, query, pageOf(query), now)),
  );

  typed.get(
    '/v5/:project_id/image/local/apps',
    {
      schema: {
        ...common,
        operationId: 'ListLocalImageAppInfo',
        summary: 'List the software inside a local image',
        querystring: ListLocalImageAppInfoQuery,
        response: { 200: ListLocalImageAppInfoResponse, ...errorResponses },
      },
    },
    async ({ scope, query, now }) =>
      listBody(inventory.listApps(scope, query.image_id, query.app_name, pageOf(query), now)),
  );
}
