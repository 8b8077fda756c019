import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';

/**
 * Request validation with two Ajv instances. Query strings, params and headers
 * coerce (so `?limit=5` and repeated query keys work); JSON bodies do not: a
 * coercing body validator turned `{"provider": ["gmail"]}` into "gmail" and
 * acted on a malformed request (found by the API fuzz test).
 */
export function requestValidatorCompiler(): FastifySchemaCompiler<FastifySchema> {
  const options = { useDefaults: true, removeAdditional: false, allErrors: false, strict: false } as const;
  const strict = new Ajv({ ...options, coerceTypes: false });
  const coercing = new Ajv({ ...options, coerceTypes: 'array' });
  const withFormats = addFormats as unknown as (ajv: Ajv) => Ajv;
  withFormats(strict);
  withFormats(coercing);
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema as object);
}
