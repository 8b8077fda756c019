import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../../main/api/server.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';
import { makeTempDir } from '../../support/tempDir.ts';
import { buildTestApi } from '../../support/testApi.ts';

describe('GET /v1/email/threads and /v1/email/threads/{id}', () => {
  let db: IndexDb;
  let app: ApiServer;
  let token: string;
  let inboxLabel: number;
  const dir = makeTempDir();
  const host = { host: '127.0.0.1:7766' };

  beforeAll(async () => {
    db = openIndex(':memory:');
    const { account, inbox, sent } = seedAccount(db);
    inboxLabel = inbox;
    writeMessages(
      db,
      account.id,
      Array.from({ length: 30 }, (_, i) =>
        messageInput({
          remoteId: `m${i}`,
          threadRemoteId: `t${i % 12}`,
          sentAt: Date.UTC(2026, 0, 1 + i),
          labelIds: i % 5 === 0 ? [sent] : [inbox],
        }),
      ),
    );
    ({ app, token } = await buildTestApi(db, dir.path));
  });
  afterAll(async () => {
    await app.close();
    db.close();
    dir.remove();
  });

  const get = (url: string, headers: Record<string, string> = { authorization: `Bearer ${token}` }) =>
    app.inject({ method: 'GET', url, headers: { ...host, ...headers } });

  it('pages the inbox newest first with next_cursor until exhausted', async () => {
    const ids: string[] = [];
    let url = '/v1/email/threads?limit=5';
    for (;;) {
      const response = await get(url);
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-request-id']).toMatch(/^req_/);
      const body = response.json() as { data: Array<{ id: string; last_message_at: string }>; next_cursor: string | null };
      ids.push(...body.data.map((t) => t.id));
      if (!body.next_cursor) break;
      url = `/v1/email/threads?limit=5&cursor=${body.next_cursor}`;
    }
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
  });

  it('lists a label by id and by role', async () => {
    const byRole = (await get('/v1/email/threads?label=sent')).json() as { data: unknown[] };
    expect(byRole.data.length).toBeGreaterThan(0);
    const byId = (await get(`/v1/email/threads?label=lbl_${inboxLabel}`)).json() as { data: unknown[] };
    expect(byId.data).toHaveLength(12);
  });

  it('returns a thread with its messages oldest first', async () => {
    const list = (await get('/v1/email/threads?limit=1')).json() as { data: Array<{ id: string }> };
    const response = await get(`/v1/email/threads/${list.data[0]!.id}`);
    expect(response.statusCode).toBe(200);
    const thread = (response.json() as { data: { messages: Array<{ date: string; body_text: string }>; message_count: number } })
      .data;
    expect(thread.messages).toHaveLength(thread.message_count);
    const dates = thread.messages.map((m) => m.date);
    expect([...dates].sort()).toEqual(dates);
    expect(thread.messages[0]?.body_text).toBe('hello world');
  });

  it('looks threads up by id for the UI cache: in the order asked, unknown ones left out', async () => {
    const listed = (await get('/v1/email/threads?limit=3')).json().data as Array<{ id: string }>;
    const [newest, second, third] = listed;
    const response = await get(`/v1/email/threads?ids=${third?.id},thr_99999,${newest?.id},${second?.id},${third?.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ data: [third, newest, second], next_cursor: null });
    expect((await get(`/v1/email/threads?ids=${newest?.id}`)).json().data).toEqual([newest]);
  });

  it.each([
    ['a malformed id', 'ids=thr_1,nonsense'],
    ['an empty list', 'ids='],
    ['an id of another kind', 'ids=msg_1'],
    ['more than 100 ids', `ids=${Array.from({ length: 101 }, (_, i) => `thr_${i + 1}`).join(',')}`],
    ['ids with a label', 'ids=thr_1&label=inbox'],
    ['ids with a cursor', 'ids=thr_1&cursor=abc'],
    ['ids with an account', 'ids=thr_1&account_id=acc'],
  ])('refuses %s as a validation_error about ids', async (_name, query) => {
    const response = await get(`/v1/email/threads?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'validation_error', field: 'ids' });
  });

  it.each([
    ['no credentials', '/v1/email/threads', {}, 401, 'invalid_key'],
    ['a wrong token', '/v1/email/threads', { authorization: 'Bearer ses_nope' }, 401, 'invalid_key'],
    ['a malformed Authorization header', '/v1/email/threads', { authorization: 'Basic abc' }, 401, 'invalid_key'],
    ['a bad limit', '/v1/email/threads?limit=0', undefined, 400, 'validation_error'],
    ['a forged cursor', '/v1/email/threads?cursor=%%%', undefined, 400, 'validation_error'],
    ['an unknown label', '/v1/email/threads?label=lbl_999', undefined, 404, 'not_found'],
    ['"all" without an account', '/v1/email/threads?label=all', undefined, 400, 'validation_error'],
    ['an unknown thread', '/v1/email/threads/thr_99999', undefined, 404, 'not_found'],
    ['a malformed thread id', '/v1/email/threads/..%2f..%2fetc', undefined, 404, 'not_found'],
    ['an unknown route', '/v1/nope', undefined, 404, 'not_found'],
  ])('answers %s with a JSON error', async (_name, url, headers, status, code) => {
    const response = await get(url, headers);
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ code, request_id: response.headers['x-request-id'] });
    expect(typeof response.json().message).toBe('string');
  });

  it('labels a thread through the actions route, and refuses a label_id missing, superfluous or unknown', async () => {
    const work = db
      .prepare(
        `INSERT INTO labels (account_id, remote_id, name, kind) SELECT account_id, 'Label_1', 'Work', 'user' FROM labels LIMIT 1 RETURNING id`,
      )
      .pluck()
      .get() as number;
    const act = (body: unknown) =>
      app.inject({
        method: 'POST',
        url: '/v1/email/threads/thr_1/actions',
        headers: { ...host, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
    const labelled = await act({ action: 'add_label', label_id: `lbl_${work}` });
    expect(labelled.statusCode).toBe(200);
    expect(labelled.json().data.label_ids).toContain(`lbl_${work}`);
    for (const [body, status, field] of [
      [{ action: 'add_label' }, 400, 'label_id'],
      [{ action: 'archive', label_id: `lbl_${work}` }, 400, 'label_id'],
      [{ action: 'move_to', label_id: 'lbl_99999' }, 404, undefined],
      [{ action: 'move_to', label_id: 'Work' }, 404, undefined],
      [{ action: 'add_label', label_id: `lbl_${inboxLabel}` }, 400, undefined],
    ] as const) {
      const refused = await act(body);
      expect(refused.statusCode, JSON.stringify(body)).toBe(status);
      expect(refused.json()).toMatchObject({ request_id: expect.any(String), ...(field ? { field } : {}) });
    }
  });

  it('applies one action to many threads at once, listing those that could not take it', async () => {
    const bulk = (body: unknown) =>
      app.inject({
        method: 'POST',
        url: '/v1/email/threads/actions',
        headers: { ...host, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
    const unreadOf = (id: string) =>
      db
        .prepare('SELECT unread_count FROM threads WHERE id = ?')
        .pluck()
        .get(Number(id.slice(4)));
    const ids = (db.prepare('SELECT id FROM threads ORDER BY id LIMIT 4').pluck().all() as number[]).map((id) => `thr_${id}`);
    for (const id of ids) expect(unreadOf(id)).toBeGreaterThan(0);
    const done = await bulk({ thread_ids: [...ids, 'thr_99999', 'nonsense'], action: 'mark_read' });
    expect(done.statusCode).toBe(200);
    expect(done.json().data.updated).toEqual(ids);
    expect(done.json().data.failed).toEqual([
      { id: 'thr_99999', code: 'not_found', message: 'no thread thr_99999' },
      { id: 'nonsense', code: 'not_found', message: 'no thread nonsense' },
    ]);
    for (const id of ids) expect(unreadOf(id)).toBe(0);
    // The body is checked as a whole first: nothing changes on a bad one.
    for (const [body, status] of [
      [{ thread_ids: [], action: 'mark_unread' }, 400],
      [{ thread_ids: Array.from({ length: 1001 }, (_, i) => `thr_${i}`), action: 'mark_unread' }, 400],
      [{ thread_ids: ids, action: 'add_label' }, 400],
      [{ thread_ids: ids, action: 'explode' }, 400],
    ] as const) {
      const refused = await bulk(body);
      expect(refused.statusCode, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(refused.json()).toMatchObject({ code: 'validation_error', request_id: expect.any(String) });
    }
    for (const id of ids) expect(unreadOf(id)).toBe(0);
  });

  it('marks a thread starred in the list once one of its messages is', async () => {
    const starredIn = async () =>
      ((await get('/v1/email/threads?limit=100')).json().data as Array<{ id: string; is_starred: boolean }>)
        .filter((t) => t.is_starred)
        .map((t) => t.id);
    expect(await starredIn()).toEqual([]);
    db.prepare(`UPDATE messages SET is_starred = 1 WHERE remote_id = 'm3'`).run();
    const thread = db.prepare(`SELECT thread_id FROM messages WHERE remote_id = 'm3'`).pluck().get() as number;
    expect(await starredIn()).toEqual([`thr_${thread}`]);
    db.prepare(`UPDATE messages SET is_starred = 0 WHERE remote_id = 'm3'`).run();
  });

  it('lists Starred by the flag, so an account without a Starred label (Outlook: Flagged) has one too', async () => {
    const starredList = async (query = '') =>
      ((await get(`/v1/email/threads?label=starred${query}`)).json().data as Array<{ id: string }>).map((t) => t.id);
    expect(await starredList()).toEqual([]);
    db.prepare(`UPDATE messages SET is_starred = 1 WHERE remote_id = 'm3'`).run();
    const thread = db.prepare(`SELECT thread_id, account_id FROM messages WHERE remote_id = 'm3'`).get() as {
      thread_id: number;
      account_id: string;
    };
    expect(await starredList()).toEqual([`thr_${thread.thread_id}`]);
    expect(await starredList(`&account_id=${thread.account_id}`)).toEqual([`thr_${thread.thread_id}`]);
    db.prepare(`UPDATE messages SET is_starred = 0 WHERE remote_id = 'm3'`).run();
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/health', headers: { host: 'attacker.example:7766' } });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('forbidden_host');
  });

  it('serves health without credentials', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/health', headers: host });
    expect(response.json()).toMatchObject({ status: 'ok', accounts: 1 });
  });

  it('describes its routes in an OpenAPI 3.1 document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json', headers: host })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/health', '/v1/email/threads', '/v1/email/threads/{id}']));
  });
});

describe('GET /v1/email/search', () => {
  let db: IndexDb;
  let app: ApiServer;
  let token: string;
  const dir = makeTempDir();

  beforeAll(async () => {
    db = openIndex(':memory:');
    const { account, inbox } = seedAccount(db);
    writeMessages(db, account.id, [
      messageInput({ remoteId: 'a', subject: 'Quarterly invoice', bodyText: 'the invoice is attached', labelIds: [inbox] }),
      messageInput({ remoteId: 'b', subject: 'Lunch', bodyText: 'no invoice here, just <b>tacos</b>', labelIds: [inbox] }),
      ...Array.from({ length: 30 }, (_, i) =>
        messageInput({ remoteId: `n${i}`, subject: `Newsletter ${i}`, bodyText: 'weekly digest', labelIds: [inbox] }),
      ),
    ]);
    ({ app, token } = await buildTestApi(db, dir.path));
  });
  afterAll(async () => {
    await app.close();
    db.close();
    dir.remove();
  });

  const search = (query: string) =>
    app.inject({
      method: 'GET',
      url: `/v1/email/search?${query}`,
      headers: { host: '127.0.0.1:7766', authorization: `Bearer ${token}` },
    });

  it('returns ranked hits with matched words as separate segments', async () => {
    const response = await search('q=invoice&sort=relevance');
    expect(response.statusCode).toBe(200);
    const { data } = response.json() as { data: Array<{ subject: string; highlight: Array<{ text: string; match: boolean }> }> };
    expect(data.map((h) => h.subject)).toEqual(['Quarterly invoice', 'Lunch']);
    expect(data[1]?.highlight.filter((s) => s.match).map((s) => s.text)).toEqual(['invoice']);
    // HTML-looking text stays text inside the segments.
    expect(data[1]?.highlight.map((s) => s.text).join('')).toContain('<b>tacos</b>');
  });

  it('marks the query words in the subject too, subject: terms included', async () => {
    type Hit = { subject: string; subject_highlight: Array<{ text: string; match: boolean }> };
    const marked = (hit: Hit | undefined) => hit?.subject_highlight.filter((s) => s.match).map((s) => s.text);
    const plain = (await search('q=invoice&sort=relevance')).json().data as Hit[];
    expect(plain[0]?.subject_highlight).toEqual([
      { text: 'Quarterly ', match: false },
      { text: 'invoice', match: true },
    ]);
    expect(plain[1]?.subject_highlight).toEqual([{ text: 'Lunch', match: false }]);
    expect(marked(((await search('q=subject:quarterly')).json().data as Hit[])[0])).toEqual(['Quarterly']);
    // No words, nothing marked.
    const unread = (await search('q=is:unread&limit=1')).json().data as Hit[];
    expect(unread[0]?.subject_highlight.every((s) => !s.match)).toBe(true);
  });

  it('pages with next_cursor', async () => {
    const first = (await search('q=digest&limit=20')).json() as { data: unknown[]; next_cursor: string };
    expect(first.data).toHaveLength(20);
    const second = (await search(`q=digest&limit=20&cursor=${first.next_cursor}`)).json() as {
      data: unknown[];
      next_cursor: string | null;
    };
    expect(second.data).toHaveLength(10);
    expect(second.next_cursor).toBeNull();
  });

  it.each([
    ['q=is:purple', 'q'],
    ['q=x&limit=1000', 'limit'],
    ['q=x&cursor=bad!', 'cursor'],
    ['', 'q'],
  ])('rejects %s naming the field', async (query, field) => {
    const response = await search(query);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'validation_error', field });
  });
});
