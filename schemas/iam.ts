/**
 * KeystoneCreateUserTokenByPassword — POST /v3/auth/tokens (hss-api.md §5): the password
 * method with a project (or domain) scope, and the token body IAM answers with.
 */
import { Type, type Static } from 'typebox';

const Named = (description: string) =>
  Type.Object(
    { id: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })), name: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })) },
    { description },
  );

export const TokenRequestBody = Type.Object({
  auth: Type.Object({
    identity: Type.Object({
      methods: Type.Array(Type.Enum(['password']), { minItems: 1 }),
      password: Type.Object({
        user: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 64 }),
          password: Type.String({ minLength: 1, maxLength: 128 }),
          domain: Named('the account the user belongs to, by id or name'),
        }),
      }),
    }),
    scope: Type.Object({
      project: Type.Optional(Named('a project by id, or by name (the region id, e.g. cn-north-4)')),
      domain: Type.Optional(Named('the account, for a domain-scoped token')),
    }),
  }),
});
export type TokenRequestBody = Static<typeof TokenRequestBody>;

export const TokenQuery = Type.Object({
  nocatalog: Type.Optional(Type.String({ description: 'any non-empty value leaves the catalog empty' })),
});
export type TokenQuery = Static<typeof TokenQuery>;

const IdName = Type.Object({ id: Type.String(), name: Type.String() });

export const TokenBody = Type.Object({
  token: Type.Object({
    expires_at: Type.String({ description: 'ISO-8601 UTC with microseconds' }),
    issued_at: Type.String(),
    methods: Type.Array(Type.String()),
    catalog: Type.Array(
      Type.Object({
        type: Type.String(),
        id: Type.String(),
        name: Type.String(),
        endpoints: Type.Array(
          Type.Object({
            url: Type.String(),
            region: Type.String({ description: 'the project\'s region; * in the global catalog of an account-scoped token' }),
            region_id: Type.String(),
            interface: Type.String(),
            id: Type.String(),
          }),
        ),
      }),
    ),
    domain: Type.Optional(IdName),
    project: Type.Optional(Type.Object({ id: Type.String(), name: Type.String(), domain: IdName })),
    roles: Type.Array(IdName),
    user: Type.Object({ id: Type.String(), name: Type.String(), password_expires_at: Type.String(), domain: IdName }),
  }),
});
export type TokenBody = Static<typeof TokenBody>;

/** Keystone's error shape, which IAM answers with on this route. */
export const IamErrorBody = Type.Object(
  { error: Type.Object({ code: Type.Integer(), message: Type.String(), title: Type.String() }) },
  { $id: 'IamErrorBody' },
);

/** A boolean query value as Keystone reads it. */
const QueryBoolean = Type.Enum(['true', 'false']);

/** KeystoneListProjects — GET /v3/projects (the SDKs' project-id look-up sends `name=<region>`). */
export const ListProjectsQuery = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 64, description: 'a project name: in IAM, the region id, e.g. cn-north-4' })),
  domain_id: Type.Optional(Type.String({ maxLength: 64 })),
  parent_id: Type.Optional(Type.String({ maxLength: 64, description: "a region project's parent is the account (domain)" })),
  enabled: Type.Optional(QueryBoolean),
  is_domain: Type.Optional(QueryBoolean),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  per_page: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
});
export type ListProjectsQuery = Static<typeof ListProjectsQuery>;

const SelfLink = Type.Object({ self: Type.String() });
const ListLinks = Type.Object({ self: Type.String(), previous: Type.Union([Type.String(), Type.Null()]), next: Type.Union([Type.String(), Type.Null()]) });

export const ProjectResult = Type.Object({
  id: Type.String(),
  name: Type.String(),
  domain_id: Type.String(),
  description: Type.String(),
  enabled: Type.Boolean(),
  is_domain: Type.Boolean(),
  parent_id: Type.String(),
  links: SelfLink,
});
export type ProjectResult = Static<typeof ProjectResult>;

export const ListProjectsBody = Type.Object({ links: ListLinks, projects: Type.Array(ProjectResult) });
export type ListProjectsBody = Static<typeof ListProjectsBody>;

/** KeystoneListAuthDomains — GET /v3/auth/domains (the SDKs' domain-id look-up). */
export const ListDomainsBody = Type.Object({
  links: SelfLink,
  domains: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), enabled: Type.Boolean(), description: Type.String(), links: SelfLink })),
});
export type ListDomainsBody = Static<typeof ListDomainsBody>;

/** KeystoneListRegions — GET /v3/regions (the SDKs call it when no project has the region's name). */
export const ListRegionsBody = Type.Object({
  links: ListLinks,
  regions: Type.Array(
    Type.Object({
      id: Type.String(),
      type: Type.String(),
      description: Type.String(),
      parent_region_id: Type.Union([Type.String(), Type.Null()]),
      locales: Type.Record(Type.String(), Type.String()),
      links: SelfLink,
    }),
  ),
});
export type ListRegionsBody = Static<typeof ListRegionsBody>;
