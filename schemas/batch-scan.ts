/** BatchScanLocalImage — POST /v5/{project_id}/image/local/batch-scan (hss-api.md §1). */
import { Type, type Static } from 'typebox';
import { EnterpriseProjectQuery } from './common.js';
import { optionalMs as ms } from './fields.js';

export const LOCAL_IMAGE_TYPES = ['other_image', 'swr_image'] as const;

/** The batch-scan page's enum, plus the list API's `waiting_for_scan`. */
export const BATCH_SCAN_STATUS_FILTERS = [
  'unscan',
  'success',
  'scanning',
  'failed',
  'download_failed',
  'image_oversized',
  'waiting_for_scan',
] as const;


export const LocalImageInfo = Type.Object(
  {
    image_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    image_digest: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    image_name: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    image_version: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  },
  { additionalProperties: false, description: 'an image to scan; it matches images equal in every field given' },
);
export type LocalImageInfo = Static<typeof LocalImageInfo>;

export const BatchScanBody = Type.Object(
  {
    operate_all: Type.Optional(Type.Boolean({ description: 'true: scan every image matching the filter fields' })),
    image_info_list: Type.Optional(Type.Array(LocalImageInfo)),
    image_name: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'substring of the image name' })),
    image_version: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    local_image_type: Type.Optional(Type.Enum([...LOCAL_IMAGE_TYPES])),
    scan_status: Type.Optional(Type.Enum([...BATCH_SCAN_STATUS_FILTERS])),
    image_size: Type.Optional(Type.Integer({ minimum: 0, description: 'bytes, exact' })),
    start_latest_update_time: ms('inclusive lower bound of latest_update_time'),
    end_latest_update_time: ms('inclusive upper bound of latest_update_time'),
    start_latest_scan_time: ms('inclusive lower bound of latest_scan_time'),
    end_latest_scan_time: ms('inclusive upper bound of latest_scan_time'),
  },
  {
    additionalProperties: false,
    // the official page's example request: two images of the default world (Swagger UI's "Try it out")
    examples: [
      {
        image_info_list: [
          {
            image_name: 'swr.cn-north-7.myhuaweicloud.com/scc_hss_container/install-hss-agent',
            image_version: '1.0.10.x86_64',
            image_digest: 'sha256:05b5081012e562d14c374de2a4c74511f9e8e0adc572d3b35fb3df06de0da63b',
            image_id: 'c499ab72-7ee9-4ee6-b6b7-5973230e7a7b',
          },
          {
            image_name: 'swr.cn-north-7.myhuaweicloud.com/glz/webshell-ljx',
            image_version: 'v1',
            image_digest: 'sha256:ce0b5d91b072730d0bc9518f11efd07eb7fdb9f43251e11a96cab5b1918b7044',
            image_id: 'b8722a02-162f-4e4e-8100-127605e3a07b',
          },
        ],
        operate_all: false,
      },
    ],
    // Each listed image gives at least one field — unless operate_all is true, when the list is not read.
    if: { properties: { operate_all: { const: true } }, required: ['operate_all'] },
    else: { properties: { image_info_list: { items: { minProperties: 1 } } } },
  },
);
export type BatchScanBody = Static<typeof BatchScanBody>;

export const BatchScanQuery = Type.Object(EnterpriseProjectQuery);
export type BatchScanQuery = Static<typeof BatchScanQuery>;

export const BatchScanResponse = Type.Object({}, { description: 'scans were queued; watch scan_status in the local image list' });
