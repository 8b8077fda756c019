import { type Static, Type } from 'typebox';

export const HealthResponse = Type.Object(
  {
    status: Type.Literal('ok'),
    version: Type.String(),
    schema_version: Type.Integer(),
    accounts: Type.Integer(),
  },
  { description: 'The core is up: its version, index schema version and number of accounts' },
);
export type HealthResponse = Static<typeof HealthResponse>;
