/** ListImageLocal — GET /v5/{project_id}/image/local-repositories (hss-api.md §2). */
import { Type, type Static } from 'typebox';
import { EnterpriseProjectQuery, PagingQuery, listResponse } from './common.js';
import { optionalMs as ms, optionalText as text } from './fields.js';

export const ListImageLocalQuery = Type.Object({
  ...EnterpriseProjectQuery,
  ...PagingQuery,
  image_name: text(256, 'substring of the image name (case-sensitive)'),
  image_version: text(128, 'exact tag; only used together with image_name'),
  scan_status: text(32, 'unscan, waiting_for_scan, scanning, success, failed, download_failed, image_oversized; other values match nothing'),
  local_image_type: text(32, 'other_image or swr_image; other values match nothing'),
  image_size: Type.Optional(Type.Integer({ minimum: 0, description: 'bytes, exact' })),
  start_latest_update_time: ms('with end_latest_update_time, inclusive range; ignored unless start < end'),
  end_latest_update_time: ms('see start_latest_update_time'),
  start_latest_scan_time: ms('with end_latest_scan_time, inclusive range; ignored unless start < end'),
  end_latest_scan_time: ms('see start_latest_scan_time'),
  has_vul: Type.Optional(Type.Boolean({ description: 'true: vul_num > 0; false: vul_num = 0' })),
  host_name: text(64, 'substring of a host name holding the image'),
  host_id: text(64, 'a host holding the image'),
  host_ip: Type.Optional(Type.String({ format: 'ipv4', description: 'private or public IPv4 of a host holding the image' })),
  container_id: text(64, 'a container started from the image'),
  container_name: text(64, 'substring of a container name'),
  pod_id: text(64, 'a pod running the image'),
  pod_name: text(63, 'substring of a pod name'),
  app_name: text(64, 'substring of the name of software in the image'),
  has_container: Type.Optional(Type.Boolean({ description: 'images with (true) or without (false) containers' })),
});
export type ListImageLocalQuery = Static<typeof ListImageLocalQuery>;

export const ImageLocalInfo = Type.Object({
  image_name: Type.String(),
  image_id: Type.String(),
  image_digest: Type.String(),
  image_version: Type.String(),
  local_image_type: Type.String(),
  scan_status: Type.String({ description: 'unscan, waiting, scanning, success, failed, download_failed, image_oversized' }),
  image_size: Type.Integer(),
  latest_update_time: Type.Integer(),
  latest_scan_time: Type.Integer({ description: 'when the last scan ended; 0 if never scanned' }),
  vul_num: Type.Integer(),
  unsafe_setting_num: Type.Integer(),
  malicious_file_num: Type.Integer(),
  host_num: Type.Integer(),
  container_num: Type.Integer(),
  component_num: Type.Integer(),
  scan_failed_desc: Type.String(),
  severity_level: Type.String(),
  host_name: Type.String(),
  host_id: Type.String(),
  agent_id: Type.String(),
  non_scan_reason: Type.String(),
}, { $id: 'ImageLocalInfo' });
export type ImageLocalInfo = Static<typeof ImageLocalInfo>;

export const ListImageLocalResponse = listResponse(ImageLocalInfo);
export type ListImageLocalResponse = Static<typeof ListImageLocalResponse>;
