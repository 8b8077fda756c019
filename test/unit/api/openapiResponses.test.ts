import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIndex, type WritableDb } from '../../../main/db/openIndex.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { writeEvents } from '../../../main/db/queries/calendarEvents.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { eventInput, seedCalendar } from '../../support/calendarFixtures.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const host = '127.0.0.1:7766';

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }>; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, unknown> };
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
