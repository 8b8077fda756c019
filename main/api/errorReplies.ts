import { randomBytes } from 'node:crypto';
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError } from 'fastify';
import { type ErrorCode, httpStatusOfCode } from '../../shared/errors.ts';
import { OutpostError } from '../core/outpostError.ts';

/** What the API answers for a failed request: the catalogue's code and status, a message, the field at fault. */
export interface ErrorReply {
  status: number;
  code: ErrorCode;
  message: string;
  field?: string | undefined;
  details?: Record<string, unknown> | undefined;
}

type Described = Omit<ErrorReply, 'status'>;

/**
 * Fastify's own errors about a request, by their codes. Anything else that
 * is not an OutpostError is a bug or an unexpected failure: 500. A code is
 * never guessed from an HTTP status.
 */
const FASTIFY_ERRORS: Record<string, (error: FastifyError, limits: BodyLimits) => Described> = {
  FST_ERR_VALIDATION: validationReply,
  FST_ERR_CTP_BODY_TOO_LARGE: (_error, limits) => ({ code: 'payload_too_large', message: limits.message }),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => ({ code: 'unsupported_media_type', message: 'send the body as application/json' }),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => ({ code: 'validation_error', message: 'request body is not valid JSON' }),
  FST_ERR_CTP_INVALID_JSON_BODY: () => ({ code: 'validation_error', message: 'request body is not valid JSON' }),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => ({
    code: 'validation_error',
    message: 'request body size did not match Content-Length',
  }),
  FST_ERR_BAD_URL: () => ({ code: 'validation_error', message: 'the URL is not valid (a malformed percent-encoding?)' }),
  FST_ERR_INVALID_URL: () => ({ code: 'validation_error', message: 'the URL is not valid' }),
  FST_ERR_MAX_PARAM_LENGTH: () => ({ code: 'validation_error', message: 'a path parameter is too long' }),
  FST_ERR_NOT_FOUND: () => ({ code: 'not_found', message: 'not found' }),
};

export interface BodyLimits {
  /** Said when a body is too large: the limits of the routes. */
  message: string;
}

/** The reply for a failed request, or null for an internal error (500, logged). */
export function errorReplyOf(error: unknown, limits: BodyLimits): ErrorReply | null {
  if (error instanceof OutpostError)
    return {
      status: httpStatusOfCode(error.code),
      code: error.code,
      message: error.message,
      field: error.field,
      ...(error.details ? { details: error.details } : {}),
    };
  const fastifyError = error as FastifyError;
  const describe = fastifyError?.validation ? validationReply : FASTIFY_ERRORS[fastifyError?.code ?? ''];
  if (!describe) return null;
  const described = describe(fastifyError, limits);
  return { status: httpStatusOfCode(described.code), ...described };
}

/** A schema validation failure, naming the field (`to`, `attachments.0.filename`, `querystring limit`). */
function validationReply(error: FastifyError): Described {
  const first = error.validation?.[0];
  const path = first?.instancePath?.replace(/^\//, '').replace(/\//g, '.') ?? '';
  const missing = (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
  const field = missing ? (path ? `${path}.${missing}` : missing) : path || undefined;
  const where = error.validationContext === 'body' ? '' : `${error.validationContext} `;
  return {
    code: 'validation_error',
    message: `${where}${field ?? 'request'} ${first?.message ?? 'is invalid'}`.trim(),
    ...(field ? { field } : {}),
  };
}

/** A request's id, as X-Request-ID and every error body name it. */
export function newRequestId(): string {
  return `req_${randomBytes(12).toString('hex')}`;
}

/**
 * What Node's HTTP parser refused before a request existed (raw non-ASCII
 * bytes or a control character in the request line or a header, headers too
 * large, a request too slow to arrive), by Node's error code.
 */
const CLIENT_ERRORS: Record<string, Described> = {
  HPE_HEADER_OVERFLOW: {
    code: 'header_too_large',
    message: `the request line and headers are larger than the ${maxHeaderSize} bytes the server reads`,
  },
  HPE_INVALID_URL: {
    code: 'validation_error',
    message: 'the path carries a byte a URL may not (percent-encode non-ASCII characters and spaces)',
  },
  HPE_INVALID_HEADER_TOKEN: {
    code: 'validation_error',
    message: 'a header carries a character HTTP does not allow (a control character?)',
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { code: 'payload_too_large', message: 'the chunk extensions are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { code: 'request_timeout', message: 'the request did not arrive in full in time' },
};

/**
 * The catalogue's answer to a request Node could not parse (the server's
 * 'clientError'): the same JSON shape and X-Request-ID as any error, written
 * to the socket, which is then closed. A connection reset, or one whose
 * response has already begun, is only closed.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const described = CLIENT_ERRORS[error.code ?? ''] ?? {
    code: 'validation_error',
    message: `the request is not valid HTTP (${error.code ?? 'parse error'})`,
  };
  const status = httpStatusOfCode(described.code);
  const requestId = newRequestId();
  const body = JSON.stringify({ code: described.code, message: described.message, request_id: requestId });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-ID: ${requestId}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
