import { type Static, Type } from 'typebox';

export const ScopeSchema = Type.Union([
  Type.Literal('read:email'),
  Type.Literal('write:email'),
  Type.Literal('read:calendar'),
  Type.Literal('write:calendar'),
  Type.Literal('admin'),
]);

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

export const CreatedKeyResponse = Type.Object({
  data: Type.Object({
    ...ApiKeySchema.properties,
    key: Type.String({ description: 'The key itself, shown only in this response' }),
  }),
});

export const KeyListResponse = Type.Object({ data: Type.Array(ApiKeySchema) });
export const KeyParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
export type KeyListResponseBody = Static<typeof KeyListResponse>;
export type CreatedKeyResponseBody = Static<typeof CreatedKeyResponse>;
