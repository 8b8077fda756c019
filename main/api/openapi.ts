import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { FastifyContextConfig, FastifySchema } from 'fastify';
import { ApiErrorBody } from '../../shared/api/common.ts';
import { ProblemDetails } from '../../shared/api/sync.ts';
import type { RouteAuth } from './auth/routeAuth.ts';

/**
 * The OpenAPI 3.1 document at /openapi.json, generated from the routes'
 * TypeBox schemas and declarations, made true to what the API does:
 * - security per operation from its declared `config.auth` (public
 *   operations `security: []`), with the schemes the references use;
 * - the `Idempotency-Key` header on the operations that take one
 *   (`config.idempotent`), and `Idempotent-Replayed` on their successes;
 * - the headers every response carries (X-Request-ID, X-RateLimit-*);
 * - the errors any operation can answer whatever its handler does
 *   (validation, credentials, Host, rate limit, body size and type, 500),
 *   described, in the media type the operation answers errors in;
 * - request bodies required only when an empty body would be refused;
 * - schemas named (ApiError, ProblemDetails), never def-N.
 * test/support/apiContract.ts checks every response the test suite receives against it.
 */

type Json = Record<string, unknown>;

interface DocResponse {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema?: Json }>;
}

interface DocOperation {
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string } | { $ref: string }>;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Json }> };
  responses: Record<string, DocResponse>;
}

interface DocObject {
  paths?: Record<string, Record<string, DocOperation> | undefined>;
  components?: { schemas?: Record<string, Json> };
}

/** Schemas the document names (components.schemas); buildApiServer adds them to Fastify by these $ids. */
export const NAMED_SCHEMAS: readonly object[] = [ApiErrorBody, { ...ProblemDetails, $id: 'ProblemDetails' }];

const SECURITY_SCHEMES = {
  bearer: {
    type: 'http',
    scheme: 'bearer',
    description:
      '`Authorization: Bearer <token>`: an API key (`wbk_…`, from Settings → API keys or `outpost keys create`) or a session token (`outpost session create`). Every operation that is not public accepts it; the scopes listed are the ones the operation requires (admin includes all).',
  },
  dolfinApiKey: {
    type: 'apiKey',
    in: 'header',
    name: 'x-dolfin-api-key',
    description: 'An API key in the header of the Dolfin reference (gmail-connections); accepted wherever Bearer is.',
  },
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: 'authjs.session-token',
    description:
      'A session token (`outpost session create --admin`) as the services reference’s admin session cookie; accepted wherever Bearer is.',
  },
} as const;

const RESPONSE_HEADERS = {
  'X-Request-ID': {
    description: 'This request’s id: the request_id of an error body, and what the log names (give it when reporting a problem)',
    required: true,
    schema: { type: 'string', pattern: '^req_[0-9a-f]{24}$' },
  },
  'X-RateLimit-Limit': {
    description:
      'The size of the limit this operation reports: the on-demand sync caps on the sync operations, the daily send cap on sends, else the caller’s requests per minute',
    required: true,
    schema: { type: 'integer', minimum: 0 },
  },
  'X-RateLimit-Remaining': {
    description: 'What is left of that limit in its current window',
    required: true,
    schema: { type: 'integer', minimum: 0 },
  },
  'X-RateLimit-Reset': {
    description: 'When that window resets (Unix seconds)',
    required: true,
    schema: { type: 'integer', minimum: 0 },
  },
  'Idempotent-Replayed': {
    description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key and body',
    required: false,
    schema: { type: 'string', enum: ['true'] },
  },
} as const;

const IDEMPOTENCY_KEY = {
  type: 'string',
  minLength: 1,
  maxLength: 255,
  pattern: '^[\\x21-\\x7e]+$',
  description:
    'Optional client-generated key (a UUID v4 is recommended) that makes retries safe for 24 hours: the same key with the same body (key order irrelevant) answers what the first request answered, with Idempotent-Replayed: true, and does nothing again; the same key with another body is 409 idempotency_conflict. A request refused before anything was done may be retried with its key. The README states the exact rules.',
};

/** What an error status means, for the responses no route describes itself. */
const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Validation failed (validation_error): a parameter, header or body field is missing or malformed; `field` names it',
  401: 'No valid credentials (invalid_key): missing, unknown, revoked or expired key or session',
  403: 'Refused: the credentials lack the scope this operation requires (insufficient_permissions), Host is not this loopback address (forbidden_host), or a page of another origin sent a session or the session cookie (cross_origin_refused)',
  404: 'Not found (not_found)',
  408: 'The request did not arrive in time (request_timeout)',
  409: 'Refused by the current state; `code` says which (e.g. sync_in_progress, needs_reauth, not_connected, idempotency_conflict)',
  413: 'The body is larger than this operation accepts (payload_too_large)',
  415: 'The body is not in a media type this operation takes (unsupported_media_type)',
  429: 'A rate limit or cap was reached (rate_limited); X-RateLimit-Reset says when it resets',
  500: 'Internal error (internal_error); the message names the log folder and the request id to look for',
  502: 'The provider refused or failed the request (provider_error; `details` carries the provider’s status and message when it gave them)',
  503: 'Not available right now (service_unavailable, network_error or quota_exceeded)',
};

const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);

/** Options of @fastify/swagger that produce the document described above. */
export function openApiOptions(version: string): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Outpost local API',
        version,
        description:
          'Loopback API of the Outpost desktop client. Every error is `{code, message, request_id}` with a stable code; every response carries X-Request-ID and X-RateLimit-*. A readable form of this document is served at /docs.',
      },
      components: {
        securitySchemes: SECURITY_SCHEMES,
        headers: RESPONSE_HEADERS,
      } as never,
    },
    // Named schemas keep their $id as their component name.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
    transform: ({ schema, url, route }) => {
      if (!schema || (schema as { hide?: boolean }).hide) return { schema, url };
      const config = route.config as FastifyContextConfig;
      return { schema: documentedRoute(schema, url, config), url };
    },
    transformObject: (document) => completeDocument((document as { openapiObject: DocObject }).openapiObject) as never,
  };
}

/** A route's schema as the document shows it: its security, Idempotency-Key, tags and described responses. */
function documentedRoute(schema: FastifySchema, url: string, config: FastifyContextConfig): FastifySchema {
  const documented: FastifySchema & Json = { ...schema, security: securityOf(config.auth, url) };
  if (!documented.tags) documented.tags = [tagOf(url)];
  if (config.idempotent) {
    const headers = (schema.headers ?? { type: 'object', properties: {} }) as Json;
    documented.headers = {
      ...headers,
      properties: { ...(headers.properties as Json | undefined), 'Idempotency-Key': IDEMPOTENCY_KEY },
    };
  }
  // A body of another media type than JSON (message/rfc822): documented as bytes.
  const consumes = (schema as { consumes?: string[] }).consumes;
  if (!schema.body && consumes?.length)
    documented.body = { type: 'string', format: 'binary', description: 'The bytes, in the media type named' };
  if (schema.response) {
    documented.response = Object.fromEntries(
      Object.entries(schema.response as Record<string, Json>).map(([status, response]) => [
        status,
        describedResponse(Number(status), response),
      ]),
    );
  }
  return documented;
}

function securityOf(auth: RouteAuth, url: string): Array<Record<string, string[]>> {
  if (auth === 'public') return [];
  const scopes = auth === 'admin' ? ['admin'] : auth === 'any' ? [] : [auth.scope];
  if (url.startsWith('/gmail-connections/')) return [{ dolfinApiKey: scopes }, { bearer: scopes }];
  if (url.startsWith('/api/')) return [{ sessionCookie: scopes }, { bearer: scopes }];
  return [{ bearer: scopes }];
}

/** The group an operation is listed under in the document and on /docs. */
function tagOf(url: string): string {
  if (/\/sync$|^\/v1\/jobs/.test(url)) return 'Sync';
  if (/^\/v1\/email\/(send|outbox)|^\/api\/threads\/send/.test(url)) return 'Sending';
  if (url.startsWith('/v1/email/') || url.startsWith('/api/threads')) return 'Mail';
  if (url.startsWith('/v1/calendar/')) return 'Calendar';
  if (url.startsWith('/v1/accounts')) return 'Accounts';
  if (url.startsWith('/v1/keys')) return 'API keys';
  if (url.startsWith('/v1/webhooks') || url.startsWith('/v1/events')) return 'Events and webhooks';
  return 'Service';
}

/** A route's response with a description: its own, else what its error status means. */
function describedResponse(status: number, response: Json): Json {
  const schema = withNamedProblems(response);
  if (typeof schema.description === 'string') return schema;
  const description = ERROR_DESCRIPTIONS[status] ?? (status === 204 ? 'Done; no content' : undefined);
  return description ? { ...schema, description } : schema;
}

/** ProblemDetails, as a response's schema or a media type's, referenced by its component name. */
function withNamedProblems(response: Json): Json {
  if (isProblemDetails(response)) return { $ref: 'ProblemDetails#' };
  const content = response.content as Record<string, Json> | undefined;
  if (!content) return response;
  const named = Object.entries(content).map(([media, entry]) => [
    media,
    isProblemDetails(entry.schema) ? { ...entry, schema: { $ref: 'ProblemDetails#' } } : entry,
  ]);
  return { ...response, content: Object.fromEntries(named) };
}

const PROBLEM_DETAILS_TEXT = JSON.stringify(ProblemDetails);
const isProblemDetails = (schema: unknown) => schema === ProblemDetails || JSON.stringify(schema) === PROBLEM_DETAILS_TEXT;

/** The errors, headers and body rules every operation has, added to what the routes declared. */
function completeDocument(doc: DocObject): DocObject {
  for (const operations of Object.values(doc.paths ?? {})) {
    for (const [method, operation] of Object.entries(operations ?? {})) {
      addGenericErrors(method, operation);
      if (operation.requestBody) operation.requestBody.required = bodyIsRequired(doc, operation.requestBody);
      const idempotent = (operation.parameters ?? []).some((p) => 'name' in p && p.name === 'Idempotency-Key');
      for (const [status, response] of Object.entries(operation.responses)) {
        response.headers = {
          ...response.headers,
          ...headerRefs(['X-Request-ID', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']),
          ...(idempotent && status.startsWith('2') ? headerRefs(['Idempotent-Replayed']) : {}),
        };
      }
    }
  }
  return doc;
}

/** Errors any operation can answer, whatever its handler does; in the media type its declared errors use. */
function addGenericErrors(method: string, operation: DocOperation): void {
  const statuses = [400, 403, 429, 500];
  if (operation.security && operation.security.length > 0) statuses.push(401);
  if (BODY_METHODS.has(method)) statuses.push(413, 415);
  const declaredErrors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
  const problems = declaredErrors.length > 0 && declaredErrors.every(([, r]) => r.content?.['application/problem+json']);
  for (const status of statuses) {
    if (operation.responses[status]) continue;
    const schema = { $ref: `#/components/schemas/${problems ? 'ProblemDetails' : 'ApiError'}` };
    operation.responses[status] = {
      description: ERROR_DESCRIPTIONS[status] ?? 'Error',
      content: { [problems ? 'application/problem+json' : 'application/json']: { schema } },
    };
  }
  operation.responses = Object.fromEntries(
    Object.entries(operation.responses).sort(([a], [b]) => Number(a) - Number(b) || a.localeCompare(b)),
  );
}

function headerRefs(names: readonly (keyof typeof RESPONSE_HEADERS)[]): Record<string, { $ref: string }> {
  return Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]));
}

/**
 * Whether an operation needs a body: an absent or empty body is the empty
 * object on every route (main/api/server.ts), so a body is required only when
 * the empty object would be refused (or the body is not JSON).
 */
function bodyIsRequired(doc: DocObject, requestBody: NonNullable<DocOperation['requestBody']>): boolean {
  const json = requestBody.content?.['application/json']?.schema;
  if (!json) return true;
  return !acceptsEmptyObject(doc, json);
}

function acceptsEmptyObject(doc: DocObject, schema: Json): boolean {
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const target = doc.components?.schemas?.[ref.replace('#/components/schemas/', '')];
    return target ? acceptsEmptyObject(doc, target) : false;
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches)) return branches.some((branch) => acceptsEmptyObject(doc, branch as Json));
  }
  if (schema.type !== undefined && schema.type !== 'object') return false;
  if (Array.isArray(schema.allOf) && !schema.allOf.every((part) => acceptsEmptyObject(doc, part as Json))) return false;
  return !Array.isArray(schema.required) || schema.required.length === 0;
}
