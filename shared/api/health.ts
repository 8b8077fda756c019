import { type Static, Type } from 'typebox';

export const IndexDamageReport = Type.Object(
  {
    message: Type.String({ description: 'One line: what is wrong and what to do (outpost repair)' }),
    problems: Type.Array(Type.String(), { description: "SQLite's own words for what its integrity check found" }),
    detected_at: Type.String({ format: 'date-time' }),
  },
  { description: 'The index is damaged: Outpost refuses to write to it until `outpost repair` has rebuilt it' },
);
export type IndexDamageReport = Static<typeof IndexDamageReport>;

export const HealthResponse = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('damaged')]),
    version: Type.String(),
    schema_version: Type.Integer(),
    /** Null while the index cannot be read (damaged). */
    accounts: Type.Union([Type.Integer(), Type.Null()]),
    index_damage: Type.Union([IndexDamageReport, Type.Null()]),
  },
  {
    description:
      'The core is up: its version, index schema version and number of accounts; `damaged` with `index_damage` when the index failed its integrity check (every other route then answers index_corrupt)',
  },
);
export type HealthResponse = Static<typeof HealthResponse>;
