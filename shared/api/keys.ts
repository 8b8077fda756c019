import { type Static, Type } from 'typebox';
import { SCOPES } from '../scopes.ts';

export { SCOPES, type Scope } from '../scopes.ts';

export const ScopeSchema = Type.Enum(SCOPES);

export const CreateKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    scopes: Type.Array(ScopeSchema, { minItems: 1, maxItems: 5 }),
  },
  { additionalProperties: false },
);

export const ApiKeySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key, for recognising it' }),
  scopes: Type.Array(ScopeSchema),
  created_at: Type.String(),
  last_used_at: Type.Union([Type.String(), Type.Null()]),
  revoked_at: Type.Union([Type.String(), Type.Null()]),
});

export const CreatedKeyResponse = Type.Object(
  {
    data: Type.Object({
      ...ApiKeySchema.properties,
      key: Type.String({ description: 'The key itself, shown only in this response' }),
    }),
  },
  { description: 'The new key, with the key itself (shown only in this response)' },
);

export const KeyListResponse = Type.Object(
  { data: Type.Array(ApiKeySchema) },
  { description: 'Every API key (never the keys themselves)' },
);
/** DELETE /v1/keys/{id} answers the key itself (no data envelope), revoked. */
export const RevokedKeyResponse = Type.Object(ApiKeySchema.properties, { description: 'The key, revoked (revoked_at set)' });
export const KeyParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
export type KeyListResponseBody = Static<typeof KeyListResponse>;
export type CreatedKeyResponseBody = Static<typeof CreatedKeyResponse>;
