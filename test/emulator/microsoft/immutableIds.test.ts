/**
 * Graph's two message id kinds, as Exchange gives them: the default (REST) id changes whenever the
 * message moves to another folder (a move, a delete to Deleted Items, a move by another client), and
 * the old one then names nothing (404 ErrorItemNotFound); with `Prefer: IdType="ImmutableId"` the id
 * is the item's for its life in the mailbox. Every answer speaks the kind its own request asked for.
 * Also Graph's OData JSON content type.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../index.ts';
import { signIn } from './testAuth.ts';

// biome-ignore lint/suspicious/noExplicitAny: assertions read JSON bodies of many shapes
type Json = any;

const IMMUTABLE = { prefer: 'IdType="ImmutableId"' };
const ODATA_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

let emu: RunningEmulator;
let token: string;

async function g(path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: Json }> {
  const res = await fetch(path.startsWith('https://') ? path : `${emu.baseUrl}/v1.0/me${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
const control = async (path: string, body: object = {}, method = 'POST') => {
  const res = await fetch(`${emu.controlUrl}/microsoft${path}`, {
    method,
    body: method === 'GET' ? undefined : JSON.stringify(body),
  });
  expect(res.status).toBeLessThan(300);
  return (await res.json()) as Json;
};
const newMessage = async (subject: string): Promise<string> => (await control('/messages', { subject })).id;
/** Every page of a delta round from `url`; the deltaLink for the next round. */
async function deltaRound(url: string, headers: Record<string, string> = {}) {
  const items: Json[] = [];
  for (;;) {
    const page = await g(url, { headers: { prefer: 'odata.maxpagesize=2', ...headers } });
    expect(page.status).toBe(200);
    items.push(...page.body.value);
    if (page.body['@odata.nextLink']) url = page.body['@odata.nextLink'];
    else return { items, deltaLink: page.body['@odata.deltaLink'] as string };
  }
}
const inboxDelta = '/mailFolders/inbox/messages/delta?$select=subject,parentFolderId';
const archiveDelta = '/mailFolders/archive/messages/delta?$select=subject,parentFolderId';

beforeAll(async () => {
  emu = await startEmulator({ seed: { kind: 'synthetic', count: 12 }, autoConsent: true });
  token = await signIn(emu.baseUrl);
});
afterAll(() => emu?.stop());

describe('message ids without Prefer: IdType="ImmutableId" (the default REST ids)', () => {
  it('a move answers a new id; the old one is 404 ErrorItemNotFound, the new one names the message', async () => {
    await newMessage('Default id moves');
    const listed = await g('/mailFolders/inbox/messages?$filter=isRead eq false&$select=subject&$top=50');
    const before = listed.body.value.find((m: Json) => m.subject === 'Default id moves').id;
    const moved = await g(`/messages/${before}/move`, { method: 'POST', body: '{"destinationId":"archive"}' });
    expect(moved.status).toBe(201);
    expect(moved.body.id).not.toBe(before);
    const old = await g(`/messages/${before}`);
    expect(old.status).toBe(404);
    expect(old.body.error.code).toBe('ErrorItemNotFound');
    const now = await g(`/messages/${moved.body.id}?$select=subject,parentFolderId`);
    expect(now.body.subject).toBe('Default id moves');
    expect(now.body.parentFolderId).toBe((await g('/mailFolders/archive')).body.id);
    // Moving again changes it again.
    const back = await g(`/messages/${moved.body.id}/move`, { method: 'POST', body: '{"destinationId":"inbox"}' });
    expect(new Set([before, moved.body.id, back.body.id]).size).toBe(3);
  });

  it('a delete to Deleted Items and a move by another client change it too', async () => {
    const immutableId = await newMessage('Deleted by default id');
    const byDefault = async (subject: string) =>
      (await g(`/messages?$filter=isRead eq false&$select=subject&$top=100`)).body.value.find((m: Json) => m.subject === subject)
        ?.id as string;
    const first = await byDefault('Deleted by default id');
    expect((await g(`/messages/${first}`, { method: 'DELETE' })).status).toBe(204);
    expect((await g(`/messages/${first}`)).status).toBe(404);
    const second = await byDefault('Deleted by default id');
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);
    await control(`/messages/${immutableId}/move`, { folder: 'archive' });
    expect((await g(`/messages/${second}`)).status).toBe(404);
    const third = await byDefault('Deleted by default id');
    expect(new Set([first, second, third]).size).toBe(3);
  });

  it("delta's @removed names the id the folder knew it by, and the new folder's delta the new id", async () => {
    const inbox0 = await deltaRound(inboxDelta);
    const archive0 = await deltaRound(archiveDelta);
    const oldId = inbox0.items.find((m) => m.subject === 'Default id moves')?.id;
    expect(oldId).toBeTruthy();
    const movedId = (await g(`/messages/${oldId}/move`, { method: 'POST', body: '{"destinationId":"archive"}' })).body.id;
    const inbox1 = await deltaRound(inbox0.deltaLink);
    expect(inbox1.items).toContainEqual({ id: oldId, '@removed': { reason: 'changed' } });
    const archive1 = await deltaRound(archive0.deltaLink);
    expect(archive1.items.map((m) => m.id)).toEqual([movedId]);
  });
});

describe('message ids with Prefer: IdType="ImmutableId"', () => {
  it('the id survives moves, deletes and other clients, in every answer', async () => {
    const id = await newMessage('Immutable');
    const listed = await g('/mailFolders/inbox/messages?$select=subject&$top=100', { headers: IMMUTABLE });
    expect(listed.headers.get('preference-applied')).toBe('IdType="ImmutableId"');
    expect(listed.body.value.map((m: Json) => m.id)).toContain(id);
    const moved = await g(`/messages/${id}/move`, { method: 'POST', body: '{"destinationId":"archive"}', headers: IMMUTABLE });
    expect(moved.body.id).toBe(id);
    expect((await g(`/messages/${id}`, { method: 'DELETE', headers: IMMUTABLE })).status).toBe(204);
    await control(`/messages/${id}/move`, { folder: 'inbox' });
    const got = await g(`/messages/${id}?$select=parentFolderId`, { headers: IMMUTABLE });
    expect(got.status).toBe(200);
    expect(got.body.parentFolderId).toBe((await g('/mailFolders/inbox')).body.id);
    // The same message by its default id is another string, and a lookup takes the kind its request asked for.
    const byDefault = (await g('/mailFolders/inbox/messages?$select=subject&$top=100')).body.value.find(
      (m: Json) => m.subject === 'Immutable',
    ).id;
    expect(byDefault).not.toBe(id);
    expect((await g(`/messages/${byDefault}`, { headers: IMMUTABLE })).status).toBe(404);
    expect((await g(`/messages/${id}`)).status).toBe(404);
  });

  it('delta rounds, nextLinks and @removed speak immutable ids', async () => {
    const id = await newMessage('Immutable in delta');
    const inbox0 = await deltaRound(inboxDelta, IMMUTABLE);
    const archive0 = await deltaRound(archiveDelta, IMMUTABLE);
    expect(inbox0.items.map((m) => m.id)).toContain(id);
    await g(`/messages/${id}/move`, { method: 'POST', body: '{"destinationId":"archive"}', headers: IMMUTABLE });
    await control(`/messages/${id}`, { isRead: true }, 'PATCH');
    const inbox1 = await deltaRound(inbox0.deltaLink, IMMUTABLE);
    expect(inbox1.items).toContainEqual({ id, '@removed': { reason: 'changed' } });
    const archive1 = await deltaRound(archive0.deltaLink, IMMUTABLE);
    expect(archive1.items.map((m) => m.id)).toEqual([id]);
  });

  it('$batch parts speak the kind each part asked for', async () => {
    const id = await newMessage('Immutable in a batch');
    const batch = await fetch(`${emu.baseUrl}/v1.0/$batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        requests: [
          { id: '1', method: 'GET', url: `/me/messages/${id}?$select=subject`, headers: IMMUTABLE },
          { id: '2', method: 'GET', url: `/me/messages/${id}?$select=subject` },
          {
            id: '3',
            method: 'POST',
            url: `/me/messages/${id}/move`,
            headers: { ...IMMUTABLE, 'content-type': 'application/json' },
            body: { destinationId: 'archive' },
          },
        ],
      }),
    });
    const parts = ((await batch.json()) as Json).responses.sort((a: Json, b: Json) => a.id.localeCompare(b.id));
    expect(parts[0]).toMatchObject({ status: 200, body: { id, subject: 'Immutable in a batch' } });
    expect(parts[0].headers['content-type']).toBe(ODATA_JSON);
    expect(parts[1].status).toBe(404);
    expect(parts[2]).toMatchObject({ status: 201, body: { id } });
  });

  it('events keep their ids whatever the preference', async () => {
    const plain = (await g('/events?$top=3&$select=subject')).body.value.map((e: Json) => e.id);
    const immutable = (await g('/events?$top=3&$select=subject', { headers: IMMUTABLE })).body.value.map((e: Json) => e.id);
    expect(immutable).toEqual(plain);
  });
});

describe('what the emulator tells a test about ids', () => {
  it('counts the Graph requests that came without the preference, and can be told to ignore it', async () => {
    const before = await control('/ids', {}, 'GET');
    await g('/mailFolders/inbox', { headers: IMMUTABLE });
    await g('/mailFolders/inbox');
    const after = await control('/ids', {}, 'GET');
    expect(after.withoutImmutableId - before.withoutImmutableId).toBe(1);
    expect(after.requests - before.requests).toBe(2);
    expect(after.withoutImmutableIdPaths.at(-1)).toBe('GET /v1.0/me/mailFolders/inbox');

    const id = await newMessage('Preference ignored');
    await control('/ids', { ignoreImmutableIdPreference: true });
    const moved = await g(`/messages/${id}/move`, { method: 'POST', body: '{"destinationId":"archive"}', headers: IMMUTABLE });
    expect(moved.status).toBe(404); // the immutable id is not a default id
    const byDefault = (await g('/mailFolders/inbox/messages?$select=subject&$top=100', { headers: IMMUTABLE })).body.value.find(
      (m: Json) => m.subject === 'Preference ignored',
    ).id;
    const movedByDefault = await g(`/messages/${byDefault}/move`, {
      method: 'POST',
      body: '{"destinationId":"archive"}',
      headers: IMMUTABLE,
    });
    expect(movedByDefault.headers.get('preference-applied')).toBeNull();
    expect(movedByDefault.body.id).not.toBe(byDefault);
    await control('/ids', { ignoreImmutableIdPreference: false });
    expect((await g(`/messages/${id}`, { headers: IMMUTABLE })).status).toBe(200);
  });

  it('the snapshot names each message by its immutable id and its current default id', async () => {
    const id = await newMessage('Snapshot ids');
    const snapshot = (await (await fetch(`${emu.controlUrl}/snapshot`)).json()) as Json;
    const row = snapshot.microsoft.users[0].messages.find((m: Json) => m.id === id);
    const byDefault = (await g('/mailFolders/inbox/messages?$select=subject&$top=100')).body.value.find(
      (m: Json) => m.subject === 'Snapshot ids',
    ).id;
    expect(row.restId).toBe(byDefault);
  });
});

describe('POST /me/translateExchangeIds', () => {
  it('translates default ids to immutable ones and back; an id that names nothing has errorDetails', async () => {
    const id = await newMessage('Translated');
    const restId = (await g('/mailFolders/inbox/messages?$select=subject&$top=100')).body.value.find(
      (m: Json) => m.subject === 'Translated',
    ).id;
    const translate = (inputIds: string[], sourceIdType: string, targetIdType: string) =>
      g('/translateExchangeIds', { method: 'POST', body: JSON.stringify({ inputIds, sourceIdType, targetIdType }) });
    const toImmutable = await translate([restId, 'AAMkAGI2AAAAAAAAAAAAAAAAAAAAAAAAAAAA'], 'restId', 'restImmutableEntryId');
    expect(toImmutable.status).toBe(200);
    expect(toImmutable.body.value[0]).toEqual({ sourceId: restId, targetId: id });
    expect(toImmutable.body.value[1]).toMatchObject({
      sourceId: 'AAMkAGI2AAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      errorDetails: { code: 'ErrorItemNotFound' },
    });
    expect((await translate([id], 'restImmutableEntryId', 'restId')).body.value).toEqual([{ sourceId: id, targetId: restId }]);
    const unsupported = await translate([id], 'entryId', 'restId');
    expect(unsupported.status).toBe(400);
    expect((await translate([], 'restId', 'restImmutableEntryId')).status).toBe(400);
    expect((await translate(Array(1001).fill(restId), 'restId', 'restImmutableEntryId')).status).toBe(400);
  });
});

describe("Graph's JSON content type", () => {
  it('JSON answers are OData JSON with minimal metadata; errors plain application/json', async () => {
    const ok = await g('/mailFolders/inbox');
    expect(ok.headers.get('content-type')).toBe(ODATA_JSON);
    const missing = await g('/messages/AAMkAGI2AAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/json');
    const raw = await fetch(`${emu.baseUrl}/v1.0/me/messages?$top=1&$select=subject`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const [first] = ((await raw.json()) as Json).value;
    const value = await fetch(`${emu.baseUrl}/v1.0/me/messages/${first.id}/$value`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(value.headers.get('content-type')).toBe('text/plain');
  });
});
