import { createHash } from 'node:crypto';
import { subscribe } from 'node:diagnostics_channel';
import type { ServerResponse } from 'node:http';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Every response an Outpost API server in this test process sends is checked
 * against that server's own /openapi.json: the status is documented for the
 * operation, the content type is documented for the status, a JSON body is
 * valid against the documented schema, and the documented required headers
 * are present and well-formed. A response that is not is recorded, and the
 * test during which it was sent fails (afterEach), so the document cannot
 * drift from what the API answers.
 *
 * How: Fastify publishes each new instance on the `fastify.initialization`
 * diagnostics channel; every instance gets an onRequest hook that watches
 * what is written to the wire (writeHead, write, end), whether the request
 * came through inject() or a socket. Servers that are not Outpost's API (no
 * `declaredRoutes`) are left alone. Each distinct document is compiled once
 * per process; validators are compiled on first use and kept.
 *
 * Imported by the API harnesses (localApi, testApi, emulatorCore) and by
 * every test file through vitest's setupFiles; outside vitest (the benches
 * import the harnesses under plain Node) it does nothing.
 */

type Json = Record<string, unknown>;

interface DocHeader {
  required?: boolean;
  schema?: { type?: string; pattern?: string; enum?: string[] };
}

interface DocResponse {
  headers?: Record<string, DocHeader | { $ref: string }>;
  content?: Record<string, { schema?: Json }>;
}

export interface OpenApiDocument {
  openapi: string;
  info: Json;
  paths: Record<string, Record<string, { responses: Record<string, DocResponse> } & Json>>;
  components: { schemas: Record<string, Json>; headers?: Record<string, DocHeader>; securitySchemes?: Record<string, Json> };
}

/** A response as it went out. */
export interface ObservedResponse {
  method: string;
  /** The operation's path as the document names it (`/v1/email/threads/{id}`), or null when no route matched. */
  path: string | null;
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  /** The body when it was sent at once; null when it was streamed (SSE, files) or not captured. */
  body: string | Buffer | null;
}

const JSON_MEDIA = /^application\/(.+\+)?json$/;

/** One document, compiled: checks responses against it. */
export class ApiContract {
  readonly #doc: OpenApiDocument;
  readonly #ajv: Ajv2020;
  readonly #validators = new Map<string, ValidateFunction>();

  constructor(doc: OpenApiDocument) {
    this.#doc = doc;
    this.#ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (ajv: Ajv2020) => void)(this.#ajv);
    this.#ajv.addSchema(doc as unknown as Json, 'openapi');
  }

  /** What is wrong with a response (empty when it matches the document). */
  problems(response: ObservedResponse): string[] {
    const method = response.method.toLowerCase() === 'head' ? 'get' : response.method.toLowerCase();
    const where = `${response.method} ${response.path ?? '(no route)'} ${response.status}`;
    const found = this.#documented(response.path, method, response.status);
    if (typeof found === 'string') return [`${where}: ${found}`];
    const { pointer, documented } = found;
    const problems = this.#headerProblems(documented, response.headers);
    const mediaType = String(response.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim()
      .toLowerCase();
    const content = documented.content ?? {};
    const bodyText = response.body === null ? null : response.body.toString();
    if (response.method.toUpperCase() !== 'HEAD') {
      if (Object.keys(content).length === 0) {
        if (bodyText) problems.push(`a body (${mediaType || 'no content-type'}) where the document declares none`);
      } else {
        const media = matchMediaType(Object.keys(content), mediaType ?? '');
        if (!media) problems.push(`content-type "${mediaType}" is not documented (${Object.keys(content).join(', ')})`);
        else if (bodyText !== null && JSON_MEDIA.test(mediaType ?? ''))
          problems.push(...this.#bodyProblems(pointer, media, bodyText));
      }
    }
    return problems.map((problem) => `${where}: ${problem}`);
  }

  /** The documented response for a status: the operation's own, or for an unrouted request the generic error. */
  #documented(path: string | null, method: string, status: number): { pointer: string; documented: DocResponse } | string {
    if (path === null) {
      // No route (404, or a framework error): the error shape and the headers every response carries.
      return {
        pointer: 'openapi#/components/x-unrouted',
        documented: {
          headers: Object.fromEntries(
            ['X-Request-ID', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'].map((name) => [
              name,
              { $ref: `#/components/headers/${name}` },
            ]),
          ),
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
        },
      };
    }
    const operation = this.#doc.paths[path]?.[method];
    if (!operation) return 'the operation is not in the document';
    const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => operation.responses[k]);
    if (!key) return `status ${status} is not documented (${Object.keys(operation.responses).join(', ')})`;
    return { pointer: `openapi#/paths/${pointerPart(path)}/${method}/responses/${key}`, documented: operation.responses[key]! };
  }

  #headerProblems(documented: DocResponse, headers: ObservedResponse['headers']): string[] {
    const problems: string[] = [];
    for (const [name, declared] of Object.entries(documented.headers ?? {})) {
      const header = '$ref' in declared ? this.#doc.components.headers?.[declared.$ref.split('/').at(-1) ?? ''] : declared;
      const value = headers[name.toLowerCase()];
      if (value === undefined) {
        if (header?.required) problems.push(`header ${name} is missing`);
        continue;
      }
      const text = String(value);
      const schema = header?.schema ?? {};
      const wellFormed =
        (schema.type !== 'integer' || /^\d+$/.test(text)) &&
        (!schema.pattern || new RegExp(schema.pattern).test(text)) &&
        (!schema.enum || schema.enum.includes(text));
      if (!wellFormed) problems.push(`header ${name}: "${text}" does not match ${JSON.stringify(schema)}`);
    }
    return problems;
  }

  #bodyProblems(pointer: string, media: string, bodyText: string): string[] {
    let body: unknown;
    try {
      body = JSON.parse(bodyText);
    } catch {
      return [`the ${media} body is not JSON: ${bodyText.slice(0, 80)}`];
    }
    const ref = pointer.startsWith('openapi#/components/x-unrouted')
      ? 'openapi#/components/schemas/ApiError'
      : `${pointer}/content/${pointerPart(media)}/schema`;
    let validate = this.#validators.get(ref);
    if (!validate) {
      validate = this.#ajv.getSchema(ref);
      if (!validate) return [`no schema at ${ref}`];
      this.#validators.set(ref, validate);
    }
    if (validate(body)) return [];
    const errors = (validate.errors ?? [])
      .slice(0, 4)
      .map((e) => `${e.instancePath || '(body)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
    return [`the body does not match the schema: ${errors.join('; ')} in ${bodyText.slice(0, 300)}`];
  }
}

function pointerPart(text: string): string {
  return text.replace(/~/g, '~0').replace(/\//g, '~1');
}

function matchMediaType(documented: readonly string[], actual: string): string | undefined {
  return (
    documented.find((m) => m === actual) ??
    documented.find((m) => m.endsWith('/*') && actual.startsWith(m.slice(0, -1))) ??
    documented.find((m) => m === '*/*')
  );
}

/** The route's path as the document names it: `/v1/email/threads/:id` → `/v1/email/threads/{id}`. */
function documentPath(request: FastifyRequest): string | null {
  if (request.is404) return null;
  const url = request.routeOptions.url;
  return url ? url.replace(/:([A-Za-z0-9_]+)/g, '{$1}') : null;
}

// One contract per distinct document, per process; a server's document object (cached by @fastify/swagger) finds it at once.
const contracts = new Map<string, ApiContract>();
const byDocument = new WeakMap<object, ApiContract>();

/** The compiled contract of a document (compiled once per process). */
export function contractOf(doc: OpenApiDocument): ApiContract {
  const known = byDocument.get(doc);
  if (known) return known;
  const { info: _info, ...stable } = doc;
  const key = createHash('sha256').update(JSON.stringify(stable)).digest('hex');
  let contract = contracts.get(key);
  if (!contract) {
    contract = new ApiContract(doc);
    contracts.set(key, contract);
  }
  byDocument.set(doc, contract);
  return contract;
}

// Kept on the process (not this module), so a worker that runs several test files reports each file's drift.
const STATE = Symbol.for('outpost.test.apiContract');
const processState = globalThis as { [STATE]?: { drift: string[]; checked: number } };
processState[STATE] ??= { drift: [], checked: 0 };
const state = processState[STATE];
const drift = state.drift;

/** How many responses were checked in this process so far. */
export function checkedResponses(): number {
  return state.checked;
}

/** The drift recorded since the last call (and forgets it): for a test that provokes drift on purpose. */
export function takeDrift(): string[] {
  return drift.splice(0, drift.length);
}

function failOnDrift(): void {
  const found = takeDrift();
  if (found.length > 0) throw new Error(`${found.length} API response(s) did not match /openapi.json:\n- ${found.join('\n- ')}`);
}

/** Watches what one request's response writes, and checks it when it ends. */
function watchResponse(app: FastifyInstance, request: FastifyRequest, res: ServerResponse): void {
  const path = documentPath(request);
  if ((request.routeOptions.schema as { hide?: boolean } | undefined)?.hide) return;
  let headerArgs: Record<string, unknown> = {};
  let streamed = false;
  const { writeHead, write, end } = res;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const headers = args.find((a) => typeof a === 'object' && a !== null && !Array.isArray(a));
    if (headers) headerArgs = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['writeHead'];
  res.write = function (this: ServerResponse, ...args: unknown[]) {
    streamed = true;
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, ...args: unknown[]) {
    const chunk = typeof args[0] === 'string' || Buffer.isBuffer(args[0]) ? args[0] : null;
    try {
      const observed: ObservedResponse = {
        method: request.method,
        path,
        status: res.statusCode,
        headers: { ...(res.getHeaders() as ObservedResponse['headers']), ...(headerArgs as ObservedResponse['headers']) },
        body: streamed ? null : (chunk ?? ''),
      };
      drift.push(...contractOf(app.swagger() as unknown as OpenApiDocument).problems(observed));
      state.checked++;
    } catch (error) {
      drift.push(`${request.method} ${path}: the response could not be checked: ${(error as Error).message}`);
    }
    return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['end'];
}

const WATCHING = Symbol.for('outpost.test.apiContract.watching');
const watching = globalThis as { [WATCHING]?: true };
if (process.env.VITEST) {
  if (!watching[WATCHING]) {
    watching[WATCHING] = true;
    subscribe('fastify.initialization', (message) => {
      const app = (message as { fastify: FastifyInstance }).fastify;
      app.addHook('onRequest', async (request, reply) => {
        // Only Outpost's API (buildApiServer declares its routes' auth); its document is this instance's.
        if (app.hasDecorator('declaredRoutes') && app.hasDecorator('swagger')) watchResponse(app, request, reply.raw);
      });
    });
  }
  const { afterAll, afterEach } = await import('vitest');
  afterEach(failOnDrift);
  afterAll(failOnDrift);
}
