/**
 * Shapes shared by every HSS route: the error envelope, the project path, paging and the
 * enterprise-project query, with the ranges the HSS v5 documentation gives.
 */
import { Type, type Static, type TSchema } from 'typebox';

/**
 * A reference to a schema that has an `$id` and is registered once (SHARED_SCHEMAS in
 * components.ts), typed as the schema itself: openapi.yaml then names it in
 * `components.schemas` instead of inlining it at every use.
 */
export function ref<T extends TSchema>(schema: T) {
  const id: unknown = (schema as { $id?: unknown }).$id;
  if (typeof id !== 'string') throw new TypeError('ref(): the schema has no $id');
  return Type.Unsafe<Static<T>>(Type.Ref(id));
}

export const ErrorBody = Type.Object(
  {
    error_code: Type.String({ examples: ['HSS.0001'] }),
    error_msg: Type.String(),
    request_id: Type.String({ pattern: '^[0-9a-f]{32}$' }),
  },
  { $id: 'ErrorBody', description: 'Huawei Cloud error envelope' },
);
export type ErrorBody = Static<typeof ErrorBody>;

export const ProjectParams = Type.Object({
  project_id: Type.String({ minLength: 1, maxLength: 256, description: 'project ID' }),
});

export const EnterpriseProjectQuery = {
  enterprise_project_id: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 256,
      description: 'enterprise project: 0 = default (when omitted), all_granted_eps = every granted one',
    }),
  ),
};

export const PagingQuery = {
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_000_000, default: 0, description: 'first record to return' })),
  limit: Type.Optional(Type.Integer({ minimum: 10, maximum: 200, default: 10, description: 'records per page' })),
};

export const RegionHeaders = Type.Object({
  region: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'region ID; must be the project region when sent' })),
});

/** A page of a list: `item` is a shared schema, named in openapi.yaml by its `$id`. */
export function listResponse<T extends ReturnType<typeof Type.Object>>(item: T) {
  return Type.Object({
    total_num: Type.Integer({ minimum: 0 }),
    data_list: Type.Array(ref(item)),
  });
}

/** Error statuses every cloud route can answer with. */
export const errorResponses = {
  400: ref(ErrorBody),
  401: ref(ErrorBody),
  403: ref(ErrorBody),
  413: ref(ErrorBody),
  429: ref(ErrorBody),
  500: ref(ErrorBody),
};

/** Either an IAM token or an AK/SK signature (see the security schemes in openapi.yaml). */
export const CLOUD_SECURITY: { [scheme: string]: string[] }[] = [{ token: [] }, { aksk: [] }];
