/**
 * What an API key may do; `admin` includes everything. Apart from the API's
 * schemas (shared/api/keys.ts, typebox): `outpost keys` need not load typebox
 * (about 140 ms of CPU) to check a scope (docs/benchmarks.md, CLI start-up).
 */
export const SCOPES = ['read:email', 'write:email', 'read:calendar', 'write:calendar', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];
