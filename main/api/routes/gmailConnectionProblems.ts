import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemDetails } from '../../../shared/api/sync.ts';

const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

/** The problem titles Dolfin's reference names; any other error is titled by its HTTP status. */
const TITLES: Partial<Record<string, string>> = { not_found: 'Gmail.ConnectionNotFound' };

/** Response schemas of the route's errors: every one is a problem document (with the API's code, message and request_id). */
export function problemResponses(statuses: readonly number[]) {
  return Object.fromEntries(
    statuses.map((status) => [status, { content: { 'application/problem+json': { schema: ProblemDetails } } }]),
  );
}

/**
 * POST /gmail-connections/{id}/sync answers every error as
 * `application/problem+json` (RFC 9457), as Dolfin's reference does: this
 * route's onSend hook turns the API's error body (`{code, message,
 * request_id, field?}`, from the one error handler, whatever failed:
 * credentials, validation, the cap, the handler, a 500) into a problem
 * document that keeps those fields.
 */
export async function answerErrorsAsProblems(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  if (reply.statusCode < 400 || typeof payload !== 'string') return payload;
  let error: unknown;
  try {
    error = JSON.parse(payload);
  } catch {
    return payload;
  }
  if (typeof error !== 'object' || error === null || typeof (error as { code?: unknown }).code !== 'string') return payload;
  const { code, message } = error as { code: string; message?: unknown };
  const status = reply.statusCode;
  reply.header('content-type', PROBLEM_JSON);
  return JSON.stringify({
    type: null,
    title: TITLES[code] ?? STATUS_CODES[status] ?? null,
    status,
    detail: typeof message === 'string' ? message : null,
    instance: request.url,
    ...error,
  });
}
