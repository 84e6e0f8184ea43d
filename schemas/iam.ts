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
  nocatalog: Type.Optional(Type.String({ description: 'any non-empty value leaves the catalog out' })),
});
export type TokenQuery = Static<typeof TokenQuery>;

const IdName = Type.Object({ id: Type.String(), name: Type.String() });

export const TokenBody = Type.Object({
  token: Type.Object({
    expires_at: Type.String({ description: 'ISO-8601 UTC with microseconds' }),
    issued_at: Type.String(),
    methods: Type.Array(Type.String()),
    catalog: Type.Optional(
      Type.Array(
        Type.Object({
          type: Type.String(),
          id: Type.String(),
          name: Type.String(),
          endpoints: Type.Array(
            Type.Object({
              url: Type.String(),
              region: Type.String(),
              region_id: Type.String(),
              interface: Type.String(),
              id: Type.String(),
            }),
          ),
        }),
      ),
    ),
    domain: Type.Optional(IdName),
    project: Type.Optional(Type.Object({ id: Type.String(), name: Type.String(), domain: IdName })),
    roles: Type.Array(IdName),
    user: Type.Object({ id: Type.String(), name: Type.String(), password_expires_at: Type.String(), domain: IdName }),
  }),
});
export type TokenBody = Static<typeof TokenBody>;

/** Keystone's error shape, which IAM answers with on this route. */
export const IamErrorBody = Type.Object({
  error: Type.Object({ code: Type.Integer(), message: Type.String(), title: Type.String() }),
});
