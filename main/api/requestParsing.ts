import type { FastifyRequest } from 'fastify';
import { OutpostError } from '../core/outpostError.ts';
import type { ApiServer } from './server.ts';

/**
 * JSON bodies as scripts send them: `Content-Type: application/json` with
 * nothing after it (many clients' default headers on a call without a body)
 * is no body, on every route; a route with a body schema then sees its
 * defaults, as with an absent body. Anything else is parsed by Fastify's own
 * parser (prototype-poisoning checks included).
 */
export function registerJsonBodyParser(app: ApiServer): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (String(body).trim() === '') return done(null, undefined);
    parseJson(request, body as string, done);
  });
}

/** Control characters (C0, DEL, C1), except tab and line breaks: a pasted multi-line search is text. */
const CONTROL_CHARACTER = /(?![\t\n\r])\p{Cc}/u;

/**
 * Refuses a query string carrying a control character (NUL first of all) with
 * 400 validation_error naming the parameter: no route, search or SQL below it
 * ever sees one.
 */
export function refuseControlCharactersInQuery(request: FastifyRequest): void {
  const query = request.query as Record<string, unknown> | null | undefined;
  if (!query || typeof query !== 'object') return;
  for (const [name, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : [value];
    if (CONTROL_CHARACTER.test(name) || values.some((v) => typeof v === 'string' && CONTROL_CHARACTER.test(v))) {
      const field = name.replace(new RegExp(CONTROL_CHARACTER.source, 'gu'), '?');
      throw new OutpostError('validation_error', `querystring ${field} contains a control character`, { field });
    }
  }
}
