import { type Static, Type } from 'typebox';

export const HealthResponse = Type.Object({
  status: Type.Literal('ok'),
  version: Type.String(),
  schema_version: Type.Integer(),
  accounts: Type.Integer(),
});
export type HealthResponse = Static<typeof HealthResponse>;
