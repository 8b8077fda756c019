import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIndex, type WritableDb } from '../../../main/db/openIndex.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { writeEvents } from '../../../main/db/queries/calendarEvents.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import {
  type OpenApiDocument as CheckedDocument,
  contractOf,
  type ObservedResponse,
  takeDrift,
} from '../../support/apiContract.ts';
import { eventInput, seedCalendar } from '../../support/calendarFixtures.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const host = '127.0.0.1:7766';

interface DocResponse {
  description: string;
  headers?: Record<string, { $ref: string }>;
  content?: Record<string, { schema: unknown }>;
}

interface DocOperation {
  summary?: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  requestBody?: { required: boolean; content: Record<string, unknown> };
  responses: Record<string, DocResponse>;
}

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, DocOperation>>;
  components: {
    schemas: Record<string, unknown>;
    securitySchemes: Record<string, { type: string; in?: string; name?: string; scheme?: string }>;
    headers: Record<string, { required?: boolean }>;
  };
}

/** Every operation of the document, with its method and path. */
function operationsOf(doc: OpenApiDocument): Array<{ method: string; path: string; operation: DocOperation }> {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method, path, operation })),
  );
}

/**
 * The OpenAPI document describes what the API really answers: live responses
 * of the routes, successes and errors, validate against the document's own
 * response schemas (JSON Schema 2020-12, as OpenAPI 3.1 has it).
 */
describe('/openapi.json against live responses', () => {
  const dir = makeTempDir();
  let db: WritableDb;
  let api: LocalApiHarness;
  let doc: OpenApiDocument;
  let ajv: Ajv2020;
  beforeAll(async () => {
    db = openIndex(':memory:');
    const { account, inbox } = seedAccount(db);
    ensureAccount(db, 'microsoft', 'me@contoso.test');
    ensureAccount(db, 'local', 'local@outpost.localhost');
    writeMessages(
      db,
      account.id,
      Array.from({ length: 6 }, (_, i) =>
        messageInput({ remoteId: `m${i}`, threadRemoteId: `t${i % 3}`, labelIds: [inbox], sentAt: Date.UTC(2026, 0, 1 + i) }),
      ),
    );
    const { calendarId } = seedCalendar(db);
    writeEvents(db, calendarId, [
      eventInput({ remoteId: 'e1', startsAt: Date.UTC(2026, 0, 5, 9), endsAt: Date.UTC(2026, 0, 5, 10) }),
      eventInput({
        remoteId: 'e2',
        startsAt: Date.UTC(2026, 0, 6),
        endsAt: Date.UTC(2026, 0, 7),
        isAllDay: true,
        startDate: '2026-01-06',
        endDate: '2026-01-07',
      }),
    ]);
    api = await buildLocalApi(db, dir.path);
    doc = (await api.app.inject({ method: 'GET', url: '/openapi.json', headers: { host } })).json() as OpenApiDocument;
    ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
    ajv.addSchema(doc, 'openapi');
  });
  afterAll(async () => {
    await api.app.close();
    db.close();
    dir.remove();
  });

  /** The document's schema for a path's response, as an Ajv reference into the document itself. */
  const responseSchemaRef = (path: string, method: string, status: number): string => {
    const pointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
    const responses = doc.paths[path]?.[method]?.responses ?? {};
    expect(responses[String(status)], `${method.toUpperCase()} ${path} documents ${status}`).toBeDefined();
    return `openapi#/paths/${pointer(path)}/${method}/responses/${status}/content/${pointer('application/json')}/schema`;
  };

  const expectDocumented = async (
    method: 'GET' | 'POST',
    documentedPath: string,
    url: string,
    options: { credential?: string; body?: unknown; status?: number } = {},
  ) => {
    const response = await api.app.inject({
      method,
      url,
      headers: {
        host,
        authorization: `Bearer ${options.credential ?? api.adminSession}`,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(options.body === undefined ? {} : { payload: JSON.stringify(options.body) }),
    });
    expect(response.statusCode, `${method} ${url}: ${response.body.slice(0, 200)}`).toBe(options.status ?? 200);
    const validate = ajv.getSchema(responseSchemaRef(documentedPath, method.toLowerCase(), response.statusCode));
    const body = response.json();
    expect(validate?.(body), `${method} ${url}: ${JSON.stringify(validate?.errors?.slice(0, 3))}`).toBe(true);
    return body;
  };

  it('is OpenAPI 3.1 and shows the threads lookup by id and the accounts provider description', () => {
    expect(doc.openapi).toBe('3.1.0');
    const threadParameters = doc.paths['/v1/email/threads']?.get?.parameters?.map((p) => `${p.in} ${p.name}`);
    expect(threadParameters).toEqual(expect.arrayContaining(['query ids', 'query label', 'query cursor']));
    const accounts = JSON.stringify(doc.paths['/v1/accounts']?.get?.responses['200']);
    expect(accounts).toContain('provider_name');
    expect(accounts).toContain('capabilities');
    // The validator does refuse what the document does not describe.
    const threads = ajv.getSchema(responseSchemaRef('/v1/email/threads', 'get', 200));
    expect(threads?.({ data: [{ id: 1 }], next_cursor: null })).toBe(false);
  });

  it('describes the mail reads', async () => {
    const list = await expectDocumented('GET', '/v1/email/threads', '/v1/email/threads?limit=2');
    const ids = (list.data as Array<{ id: string }>).map((t) => t.id);
    await expectDocumented('GET', '/v1/email/threads', `/v1/email/threads?ids=${ids.join(',')}`);
    const thread = await expectDocumented('GET', '/v1/email/threads/{id}', `/v1/email/threads/${ids[0]}`);
    const messageId = (thread.data.messages as Array<{ id: string }>)[0]?.id;
    await expectDocumented('GET', '/v1/email/messages/{id}', `/v1/email/messages/${messageId}`);
    await expectDocumented('GET', '/v1/email/labels', '/v1/email/labels');
    await expectDocumented('GET', '/v1/email/search', '/v1/email/search?q=hello');
    await expectDocumented('GET', '/v1/email/search', '/v1/email/search?q=is:unread');
    await expectDocumented('GET', '/v1/email/contacts', '/v1/email/contacts?q=ann');
    await expectDocumented('GET', '/v1/email/trusted-senders', '/v1/email/trusted-senders');
    await expectDocumented('GET', '/v1/email/compose-drafts', '/v1/email/compose-drafts');
    await expectDocumented('GET', '/api/threads', '/api/threads?limit=2');
  });

  it('describes the accounts with their provider name and capabilities', async () => {
    const accounts = await expectDocumented('GET', '/v1/accounts', '/v1/accounts');
    expect((accounts.data as Array<{ provider_name: string }>).map((a) => a.provider_name).sort()).toEqual([
      'Google',
      'Google',
      'Imported mail',
      'Microsoft',
    ]);
  });

  it('describes the calendar reads, health, keys, webhooks and a queued sync job', async () => {
    await expectDocumented('GET', '/v1/calendar/calendars', '/v1/calendar/calendars');
    const events = await expectDocumented(
      'GET',
      '/v1/calendar/events',
      `/v1/calendar/events?from=${new Date(Date.UTC(2026, 0, 1)).toISOString()}&to=${new Date(Date.UTC(2026, 0, 31)).toISOString()}`,
    );
    expect(events.data).toHaveLength(2);
    await expectDocumented(
      'GET',
      '/v1/calendar/events/{id}',
      `/v1/calendar/events/${(events.data as Array<{ id: string }>)[0]?.id}`,
    );
    await expectDocumented('GET', '/v1/health', '/v1/health');
    await expectDocumented('GET', '/v1/keys', '/v1/keys');
    await expectDocumented('GET', '/v1/webhooks', '/v1/webhooks');
    const sync = await expectDocumented('POST', '/v1/email/sync', '/v1/email/sync', { body: {} });
    await expectDocumented('GET', '/v1/jobs/{job_id}', `/v1/jobs/${sync.data.job_id}`);
  });

  it('describes errors as the one error shape', async () => {
    await expectDocumented('GET', '/v1/email/threads/{id}', '/v1/email/threads/thr_99999', { status: 404 });
    await expectDocumented('GET', '/v1/email/threads', '/v1/email/threads?ids=nonsense', { status: 400 });
    await expectDocumented('GET', '/v1/email/threads', '/v1/email/threads', { credential: 'wbk_bogus', status: 401 });
    await expectDocumented('GET', '/v1/keys', '/v1/keys', { credential: api.key('read:email'), status: 403 });
  });
});

/**
 * The document says what is true of every operation: who may call it, the
 * headers of every answer, the Idempotency-Key where it is taken, the errors
 * any operation can answer, bodies required only when an empty one is
 * refused, named schemas and real descriptions.
 */
describe('/openapi.json is true of every operation', () => {
  const dir = makeTempDir();
  let db: WritableDb;
  let api: LocalApiHarness;
  let doc: OpenApiDocument;
  const gmailUuid = '6f1c2d9e-58a4-4b7e-9a43-0d6f0f1b2c3d';
  beforeAll(async () => {
    db = openIndex(':memory:');
    seedAccount(db);
    api = await buildLocalApi(db, dir.path);
    doc = (await api.app.inject({ method: 'GET', url: '/openapi.json', headers: { host } })).json() as OpenApiDocument;
  });
  afterAll(async () => {
    await api.app.close();
    db.close();
    dir.remove();
  });

  it('names its schemas and describes every response', () => {
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['ApiError', 'ProblemDetails']));
    expect(Object.keys(doc.components.schemas).filter((name) => /^def-\d+$/.test(name))).toEqual([]);
    expect(JSON.stringify(doc)).not.toContain('def-');
    const undescribed = operationsOf(doc).flatMap(({ method, path, operation }) =>
      Object.entries(operation.responses)
        .filter(([, response]) => !response.description || response.description === 'Default Response')
        .map(([status]) => `${method} ${path} ${status}`),
    );
    expect(undescribed).toEqual([]);
    expect(doc.paths['/v1/email/sync']?.post?.responses['200']?.description).toBe('The queued sync job');
    expect(doc.paths['/v1/email/sync']?.post?.responses['400']?.description).toMatch(/^Validation failed/);
  });

  it('declares the three ways to authenticate, and each operation its own from its declared auth', () => {
    expect(doc.components.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer' },
      dolfinApiKey: { type: 'apiKey', in: 'header', name: 'x-dolfin-api-key' },
      sessionCookie: { type: 'apiKey', in: 'cookie', name: 'authjs.session-token' },
    });
    expect(doc).not.toHaveProperty('security');
    for (const route of api.app.declaredRoutes) {
      const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const operation = doc.paths[path]?.[route.method.toLowerCase()];
      if (!operation) continue; // hidden: the document itself, the UI's files, /docs
      const scopes =
        route.auth === 'public' ? null : route.auth === 'admin' ? ['admin'] : route.auth === 'any' ? [] : [route.auth.scope];
      if (scopes === null) expect(operation.security, `${route.method} ${path}`).toEqual([]);
      else expect(operation.security, `${route.method} ${path}`).toContainEqual({ bearer: scopes });
    }
    expect(doc.paths['/v1/health']?.get?.security).toEqual([]);
    expect(doc.paths['/v1/email/sync']?.post?.security).toEqual([{ bearer: ['write:email'] }]);
    expect(doc.paths['/gmail-connections/{id}/sync']?.post?.security).toContainEqual({ dolfinApiKey: ['write:email'] });
    expect(doc.paths['/api/services/{id}/sync']?.post?.security).toContainEqual({ sessionCookie: ['admin'] });
    // A public operation answers no 401; the others do.
    expect(doc.paths['/v1/health']?.get?.responses['401']).toBeUndefined();
    expect(doc.paths['/v1/email/threads']?.get?.responses['401']).toBeDefined();
  });

  it('takes an Idempotency-Key header exactly where the route is idempotent, and says when an answer is a replay', () => {
    const idempotent = operationsOf(doc)
      .filter(({ operation }) => operation.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'))
      .map(({ method, path }) => `${method} ${path}`);
    expect(idempotent).toEqual(
      expect.arrayContaining([
        'post /v1/email/send',
        'post /v1/email/sync',
        'post /v1/calendar/sync',
        'post /gmail-connections/{id}/sync',
      ]),
    );
    expect(idempotent).not.toContain('post /v1/keys');
    const send = doc.paths['/v1/email/send']?.post;
    expect(send?.parameters?.find((p) => p.name === 'Idempotency-Key')?.required).toBe(false);
    expect(send?.responses['200']?.headers?.['Idempotent-Replayed']).toEqual({
      $ref: '#/components/headers/Idempotent-Replayed',
    });
    expect(doc.paths['/v1/keys']?.post?.responses['201']?.headers?.['Idempotent-Replayed']).toBeUndefined();
  });

  it('documents X-Request-ID and X-RateLimit-* on every response of every operation', () => {
    for (const name of ['X-Request-ID', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'])
      expect(doc.components.headers[name]?.required, name).toBe(true);
    for (const { method, path, operation } of operationsOf(doc))
      for (const [status, response] of Object.entries(operation.responses))
        expect(Object.keys(response.headers ?? {}), `${method} ${path} ${status}`).toEqual(
          expect.arrayContaining(['X-Request-ID', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']),
        );
  });

  it('requires a body only where an empty one is refused', () => {
    expect(doc.paths['/v1/email/sync']?.post?.requestBody?.required).toBe(false);
    expect(doc.paths['/v1/calendar/sync']?.post?.requestBody?.required).toBe(false);
    expect(doc.paths['/v1/email/send']?.post?.requestBody?.required).toBe(true);
    expect(doc.paths['/v1/keys']?.post?.requestBody?.required).toBe(true);
    expect(Object.keys(doc.paths['/v1/email/import']?.post?.requestBody?.content ?? {})).toEqual(['message/rfc822']);
  });

  it('declares the Dolfin route’s errors as application/problem+json, and what is not JSON in its media type', () => {
    const errors = Object.entries(doc.paths['/gmail-connections/{id}/sync']?.post?.responses ?? {}).filter(
      ([status]) => Number(status) >= 400,
    );
    expect(errors.map(([status]) => status)).toEqual(expect.arrayContaining(['401', '403', '404', '409', '429']));
    for (const [status, response] of errors)
      expect(Object.keys(response.content ?? {}), status).toEqual(['application/problem+json']);
    expect(Object.keys(doc.paths['/v1/email/messages/{id}/raw']?.get?.responses['200']?.content ?? {})).toEqual([
      'message/rfc822',
    ]);
    expect(Object.keys(doc.paths['/v1/events']?.get?.responses['200']?.content ?? {})).toEqual(['text/event-stream']);
    expect(Object.keys(doc.paths['/v1/email/attachments/{id}']?.get?.responses['200']?.content ?? {})).toEqual(['*/*']);
  });

  it('checks live answers, the Dolfin 404 as problem+json included, and refuses what the document does not say', async () => {
    const contract = contractOf(doc as unknown as CheckedDocument);
    const observe = async (method: 'GET' | 'POST', path: string, url: string, headers: Record<string, string> = {}) => {
      const response = await api.app.inject({ method, url, headers: { host, ...headers } });
      return { method, path, status: response.statusCode, headers: response.headers, body: response.body } as ObservedResponse;
    };
    const missing = await observe('POST', '/gmail-connections/{id}/sync', `/gmail-connections/${gmailUuid}/sync`, {
      'x-dolfin-api-key': api.key('write:email'),
    });
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(contract.problems(missing)).toEqual([]);
    const health = await observe('GET', '/v1/health', '/v1/health');
    expect(contract.problems(health)).toEqual([]);
    // What drift looks like, each kind: an undocumented status, content type, body or header.
    expect(contract.problems({ ...health, status: 418 })[0]).toMatch(/status 418 is not documented/);
    expect(contract.problems({ ...health, headers: { ...health.headers, 'content-type': 'text/html' } })[0]).toMatch(
      /content-type "text\/html" is not documented/,
    );
    expect(contract.problems({ ...health, body: '{"status":"fine"}' })[0]).toMatch(/the body does not match the schema/);
    const { 'x-request-id': _dropped, ...withoutId } = health.headers;
    expect(contract.problems({ ...health, headers: withoutId })).toEqual(['GET /v1/health 200: header X-Request-ID is missing']);
    expect(contract.problems({ ...health, path: '/v1/nowhere' })[0]).toMatch(/not in the document/);
  });

  it('is checked against every response the API tests receive: drift is recorded and fails the test', async () => {
    const drifting = await buildLocalApi(db, dir.path);
    drifting.app.get(
      '/v1/teapot',
      {
        config: { auth: 'public' },
        schema: { summary: 'A route whose answer drifts', response: { 200: { type: 'object', description: 'Tea' } } },
      },
      async (_request, reply) => reply.status(418 as 200).send({ tea: true }), // a status the route does not declare,
    );
    expect(takeDrift()).toEqual([]);
    await drifting.app.inject({ method: 'GET', url: '/v1/teapot', headers: { host } });
    // Taken here, so this test passes; the harness's afterEach would have failed it.
    expect(takeDrift()).toEqual([expect.stringMatching(/^GET \/v1\/teapot 418: status 418 is not documented/)]);
    await drifting.app.close();
  });
});
