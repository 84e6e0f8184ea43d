/**
 * ListLocalImageHosts, ListLocalImageContainers, ListLocalImageAppInfo — the hosts that
 * hold a local image, the containers started from it and the software inside it
 * (hss-api.md §3).
 */
import { Type, type Static } from 'typebox';
import { EnterpriseProjectQuery, PagingQuery, listResponse } from './common.js';
import { optionalText as text } from './fields.js';

const ImageFilters = {
  image_digest: text(256, 'digest of the image'),
  image_name: text(256, 'exact image name'),
  image_version: text(128, 'exact image tag'),
  agent_id: text(64, 'HSS agent of the host'),
};

export const ListLocalImageHostsQuery = Type.Object({
  ...EnterpriseProjectQuery,
  ...PagingQuery,
  ...ImageFilters,
  host_name: text(64, 'substring of the host name'),
});
export type ListLocalImageHostsQuery = Static<typeof ListLocalImageHostsQuery>;

export const LocalImageHostInfo = Type.Object({
  agent_id: Type.String(),
  agent_status: Type.String(),
  host_name: Type.String(),
  host_id: Type.String(),
  version: Type.String({ description: 'HSS edition on the host' }),
  private_ip: Type.String(),
  public_ip: Type.String(),
  docker_name: Type.String(),
  docker_type: Type.String(),
}, { $id: 'LocalImageHostInfo' });
export type LocalImageHostInfo = Static<typeof LocalImageHostInfo>;
export const ListLocalImageHostsResponse = listResponse(LocalImageHostInfo);

export const ListLocalImageContainersQuery = Type.Object({
  ...EnterpriseProjectQuery,
  ...PagingQuery,
  ...ImageFilters,
  container_id: text(64, 'exact container ID'),
});
export type ListLocalImageContainersQuery = Static<typeof ListLocalImageContainersQuery>;

export const LocalImageContainerInfo = Type.Object({
  agent_id: Type.String(),
  container_name: Type.String(),
  container_id: Type.String(),
  host_id: Type.String(),
  host_name: Type.String(),
  pod_id: Type.String(),
  pod_name: Type.String(),
  private_ip: Type.String(),
  public_ip: Type.String(),
  entry_point: Type.String(),
}, { $id: 'LocalImageContainerInfo' });
export type LocalImageContainerInfo = Static<typeof LocalImageContainerInfo>;
export const ListLocalImageContainersResponse = listResponse(LocalImageContainerInfo);

export const ListLocalImageAppInfoQuery = Type.Object({
  ...EnterpriseProjectQuery,
  ...PagingQuery,
  image_id: Type.String({ minLength: 1, maxLength: 256, description: 'the local image (required)' }),
  app_name: Type.Optional(Type.String({ minLength: 0, maxLength: 256, description: 'substring of the software name; empty matches all' })),
});
export type ListLocalImageAppInfoQuery = Static<typeof ListLocalImageAppInfoQuery>;

export const LocalImageAppInfo = Type.Object({
  app_name: Type.String(),
  app_type: Type.String(),
  app_version: Type.String(),
  vul_num: Type.Integer(),
}, { $id: 'LocalImageAppInfo' });
export type LocalImageAppInfo = Static<typeof LocalImageAppInfo>;
export const ListLocalImageAppInfoResponse = listResponse(LocalImageAppInfo);
