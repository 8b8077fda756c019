import { randomUUID } from 'node:crypto';
import type { EmulatorReply, EmulatorRequest, Route } from '../kit/types.ts';
import { HttpError } from '../kit/types.ts';

/** Graph's error body: {"error":{"code","message","innerError":{date,request-id,client-request-id}}}. */
export function graphError(status: number, code: string, message: string, headers: Record<string, string> = {}): HttpError {
  return new HttpError(graphErrorReply(status, code, message, headers));
}

export function graphErrorReply(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): EmulatorReply {
  const requestId = randomUUID();
  return {
    status,
    headers: { 'request-id': requestId, 'content-type': 'application/json', ...headers },
    body: {
      error: {
        code,
        message,
        innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': requestId, 'client-request-id': requestId },
      },
    },
  };
}

/** The identity platform's token-endpoint error shape (AADSTS codes in error_codes). */
export function aadError(status: number, error: string, aadsts: number, description: string): HttpError {
  const trace = randomUUID();
  return new HttpError({
    status,
    body: {
      error,
      error_description: `AADSTS${aadsts}: ${description} Trace ID: ${trace} Correlation ID: ${trace} Timestamp: ${new Date().toISOString()}`,
      error_codes: [aadsts],
      timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z',
      trace_id: trace,
      correlation_id: trace,
    },
  });
}

export function parseJsonBody(body: Buffer): Record<string, unknown> {
  try {
    const v = JSON.parse(body.toString('utf8') || 'null');
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through to Graph's answer for an unreadable body
  }
  throw graphError(
    400,
    'BadRequest',
    'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
  );
}

/** Graph's content type for OData JSON answers (errors are plain `application/json`, as Graph's are). */
export const ODATA_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/**
 * Every Graph answer carries request-id and client-request-id headers (the client's own
 * client-request-id echoed when it sent one), and error bodies repeat both in innerError;
 * Prefer: IdType="ImmutableId" is acknowledged in Preference-Applied (message ids: ids.ts).
 * Bodies are compact JSON with Graph's OData content type.
 */
export function withGraphHeaders(route: Route): Route {
  return {
    ...route,
    handler: async (req) => {
      let reply: EmulatorReply;
      try {
        reply = await route.handler(req);
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        reply = err.reply;
      }
      return stampGraphReply(reply, req);
    },
  };
}

function stampGraphReply(reply: EmulatorReply, req: EmulatorRequest): EmulatorReply {
  const requestId = reply.headers?.['request-id'] ?? randomUUID();
  const clientRequestId = req.headers['client-request-id'] ?? requestId;
  const headers: Record<string, string> = {
    ...(reply.headers ?? {}),
    'request-id': requestId,
    'client-request-id': clientRequestId,
  };
  if (/IdType\s*=\s*"?ImmutableId"?/i.test(req.headers.prefer ?? '')) {
    headers['preference-applied'] = [headers['preference-applied'], 'IdType="ImmutableId"'].filter(Boolean).join(', ');
  }
  const body = reply.body as { error?: { innerError?: Record<string, string> } } | undefined;
  const json = !!body && typeof body === 'object' && !Buffer.isBuffer(body);
  if (json && !headers['content-type']) headers['content-type'] = reply.status >= 400 ? 'application/json' : ODATA_JSON;
  const inner = json ? body.error?.innerError : undefined;
  if (inner) {
    inner['request-id'] = requestId;
    inner['client-request-id'] = clientRequestId;
  }
  return { ...reply, headers, json: 'compact' };
}
