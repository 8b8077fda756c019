import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../index.ts';
import { signIn } from './testAuth.ts';

let emu: RunningEmulator;
let token: string;
let aliceToken: string;
/** Graph answers are JSON of many shapes; tests read them loosely. */
// biome-ignore lint/suspicious/noExplicitAny: test reads arbitrary JSON
type Json = any;
const g = (path: string, init: RequestInit & { as?: string } = {}) =>
  fetch(`${emu.baseUrl}/v1.0${/^\/(users\/|\$batch)/.test(path) ? '' : '/me'}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${init.as ?? token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
  }) as Promise<Omit<Response, 'json'> & { json(): Promise<Json> }>;
const control = (path: string, body: object, method = 'POST') =>
  fetch(`${emu.controlUrl}/microsoft${path}`, { method, body: JSON.stringify(body) });

beforeAll(async () => {
  emu = await startEmulator({ seed: { kind: 'corpus' }, autoConsent: true });
  token = await signIn(emu.baseUrl);
  aliceToken = await signIn(emu.baseUrl, 'alice@contoso.test');
});
afterAll(() => emu?.stop());

async function drain(url: string, headers: Record<string, string> = {}) {
  const items: Array<Record<string, unknown>> = [];
  let pages = 0;
  for (;;) {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, ...headers } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    items.push(...body.value);
    pages++;
    if (body['@odata.nextLink']) url = body['@odata.nextLink'];
    else return { items, pages, deltaLink: body['@odata.deltaLink'] as string, res };
  }
}

describe('Graph mail', () => {
  it('/me and mailFolders with wellKnownName and counts', async () => {
    expect((await (await g('')).json()).mail).toBe('bob@contoso.test');
    const folders = (await (await g('/mailFolders')).json()).value;
    expect(folders.map((f: { wellKnownName: string }) => f.wellKnownName)).toEqual(
      expect.arrayContaining(['inbox', 'sentitems', 'drafts', 'deleteditems', 'junkemail', 'archive']),
    );
    const inbox = await (await g('/mailFolders/inbox')).json();
    expect(inbox.totalItemCount).toBeGreaterThan(1000);
    expect(inbox.unreadItemCount).toBeGreaterThan(0);
    const junk = await (await g('/mailFolders/junkemail')).json();
    expect(junk.totalItemCount).toBeGreaterThan(1000);
    const users = await (await g(`/users/bob@contoso.test/mailFolders/inbox`)).json();
    expect(users.id).toBe(inbox.id);
  });

  it('serves an 8-bit ISO-8859-1 corpus message as its own bytes and decodes its body in its charset', async () => {
    const id = "'<E17ytUl-0005ta-00@rhenium.btinternet.com>'";
    const [found] = (await (await g(`/messages?$filter=internetMessageId eq ${id}&$select=subject`)).json()).value;
    expect(found.subject).toBe('[zzzzteana] Dracula theme park could be switched to Bucharest');
    const message = await (await g(`/messages/${found.id}?$select=body`)).json();
    expect(message.body.content).toContain('Ananova:\u00a0');
    expect(message.body.content).not.toContain('\ufffd');
    const raw = Buffer.from(await (await g(`/messages/${found.id}/$value`)).arrayBuffer());
    expect(raw.includes(Buffer.from('Ananova:\xa0', 'latin1'))).toBe(true);
  });

  it('lists with $select/$top/$skip/$filter/$orderby and gets a message, $value and attachments', async () => {
    const list = await (
      await g(
        '/mailFolders/inbox/messages?$select=subject,isRead,from&$top=5&$filter=isRead eq false&$orderby=receivedDateTime desc',
      )
    ).json();
    expect(list.value).toHaveLength(5);
    expect(list.value.every((m: { isRead: boolean }) => m.isRead === false)).toBe(true);
    expect(Object.keys(list.value[0]).sort()).toEqual(['@odata.etag', 'from', 'id', 'isRead', 'subject'].sort());
    expect(list['@odata.nextLink']).toContain('%24skip=5');
    const m = await (
      await g(`/messages/${list.value[0].id}?$select=subject,body,conversationId,internetMessageHeaders,internetMessageId`)
    ).json();
    expect(m.body.content.length).toBeGreaterThan(0);
    expect(m.internetMessageHeaders.length).toBeGreaterThan(3);
    const mime = await (await g(`/messages/${m.id}/$value`)).text();
    expect(mime).toContain(m.internetMessageId);
    const withAtt = await (await g('/messages?$top=1000&$select=hasAttachments,subject')).json();
    const candidates = withAtt.value.filter((x: { hasAttachments: boolean }) => x.hasAttachments);
    let found = false;
    for (const c of candidates.slice(0, 20)) {
      const atts = (await (await g(`/messages/${c.id}/attachments`)).json()).value;
      if (!atts.length) continue;
      const one = await (await g(`/messages/${c.id}/attachments/${atts[0].id}`)).json();
      expect(one['@odata.type']).toBe('#microsoft.graph.fileAttachment');
      const bytes = Buffer.from(await (await g(`/messages/${c.id}/attachments/${atts[0].id}/$value`)).arrayBuffer());
      expect(bytes.toString('base64')).toBe(one.contentBytes);
      found = true;
      break;
    }
    expect(found).toBe(true);
  });

  it('delta: pages with Prefer maxpagesize, then only changes, @removed for moves and deletes, 410 after invalidation', async () => {
    const first = await drain(`${emu.baseUrl}/v1.0/me/mailFolders/archive/messages/delta?$select=subject,isRead,parentFolderId`, {
      prefer: 'odata.maxpagesize=200',
    });
    expect(first.res.headers.get('preference-applied')).toBe('odata.maxpagesize=200');
    const archive = await (await g('/mailFolders/archive')).json();
    expect(first.items.length).toBe(archive.totalItemCount);
    expect(first.pages).toBeGreaterThan(1);
    const [a, b, c] = first.items as Array<{ id: string }>;
    await g(`/messages/${a!.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ isRead: true, flag: { flagStatus: 'flagged' }, categories: ['Blue category'] }),
    });
    const moved = await g(`/messages/${b!.id}/move`, { method: 'POST', body: JSON.stringify({ destinationId: 'inbox' }) });
    expect(moved.status).toBe(201);
    await control(`/messages/${c!.id}`, {}, 'DELETE');
    const added: Json = await (await control('/messages', { folder: 'archive', subject: 'From another client' })).json();
    const second = await drain(first.deltaLink);
    const byId = new Map(second.items.map((x) => [x.id, x]));
    expect(byId.get(a!.id)).toMatchObject({ isRead: true });
    expect(byId.get(b!.id)).toMatchObject({ '@removed': { reason: 'changed' } });
    expect(byId.get(c!.id)).toMatchObject({ '@removed': { reason: 'deleted' } });
    // Asked without Prefer: IdType="ImmutableId", delta names messages by their default ids.
    expect(byId.get(added.restId)).toMatchObject({ subject: 'From another client' });
    const ctlReply: Json = await (await control(`/messages/${added.id}/reply`, { body: 'Answer' })).json();
    expect(ctlReply.conversationId).toBe(added.conversationId);
    expect(second.items).toHaveLength(4);
    const third = await drain(second.deltaLink);
    expect(third.items).toHaveLength(0);
    await control('/invalidate-delta', {});
    const gone = await fetch(third.deltaLink, { headers: { authorization: `Bearer ${token}` } });
    expect(gone.status).toBe(410);
    expect(((await gone.json()) as Json).error.code).toBe('SyncStateNotFound');
  });

  it('sendMail (JSON and MIME), createReply/reply threading, DELETE', async () => {
    const sent = await g('/sendMail', {
      method: 'POST',
      body: JSON.stringify({
        message: {
          subject: 'Lunch?',
          body: { contentType: 'text', content: 'At noon' },
          toRecipients: [{ emailAddress: { address: 'alice@contoso.test' } }],
        },
        saveToSentItems: true,
      }),
    });
    expect(sent.status).toBe(202);
    const inAlice = (await (await g('/mailFolders/inbox/messages?$top=5', { as: aliceToken })).json()).value;
    const lunch = inAlice.find((m: { subject: string }) => m.subject === 'Lunch?');
    expect(lunch).toBeTruthy();
    const replied = await g(`/messages/${lunch.id}/reply`, {
      as: aliceToken,
      method: 'POST',
      body: JSON.stringify({ comment: 'Sure' }),
    });
    expect(replied.status).toBe(202);
    const bobInbox = (await (await g('/mailFolders/inbox/messages?$top=3')).json()).value;
    const reply = bobInbox.find((m: { subject: string }) => m.subject === 'RE: Lunch?');
    const sentItem = (await (await g('/mailFolders/sentitems/messages?$top=1')).json()).value[0];
    expect(sentItem.subject).toBe('Lunch?');
    expect(reply.conversationId).toBe(sentItem.conversationId);
    const draft = await (await g(`/messages/${reply.id}/createReply`, { method: 'POST' })).json();
    expect(draft).toMatchObject({ isDraft: true, conversationId: sentItem.conversationId });

    const raw =
      'From: bob@contoso.test\r\nTo: alice@contoso.test\r\nSubject: MIME hello\r\nMessage-ID: <mime-1@contoso.test>\r\n\r\nbody\r\n';
    const mime = await g('/sendMail', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: Buffer.from(raw).toString('base64'),
    });
    expect(mime.status).toBe(202);
    const found = (await (await g(`/messages?$filter=internetMessageId eq '<mime-1@contoso.test>'`, { as: aliceToken })).json())
      .value;
    expect(found).toHaveLength(1);

    // A delete moves the draft to Deleted Items: its default id changes (immutableIds.test.ts), so it is followed by its immutable one.
    expect((await g(`/messages/${draft.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await g(`/messages/${draft.id}`)).status).toBe(404);
    const immutable = { prefer: 'IdType="ImmutableId"' };
    const inTrash = (await (await g('/mailFolders/deleteditems/messages?$select=subject,isDraft', { headers: immutable })).json())
      .value;
    const trashed = inTrash.find((m: { isDraft: boolean; subject: string }) => m.isDraft && m.subject === draft.subject);
    expect((await (await g(`/messages/${trashed.id}`, { headers: immutable })).json()).parentFolderId).toBe(
      (await (await g('/mailFolders/deleteditems')).json()).id,
    );
  });

  it('bad input: bad token 401, unknown id 404, malformed JSON 400, unknown user 404', async () => {
    const bad = await g('/messages', { as: 'nope' });
    expect(bad.status).toBe(401);
    expect((await bad.json()).error.code).toBe('InvalidAuthenticationToken');
    const missing = await g('/messages/AAMkAGI2doesnotexist');
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toMatchObject({
      code: 'ErrorItemNotFound',
      innerError: { 'request-id': expect.any(String) },
    });
    const some = (await (await g('/messages?$top=1')).json()).value[0];
    const malformed = await g(`/messages/${some.id}`, { method: 'PATCH', body: '{nope' });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe('BadRequest');
    expect((await g('/users/nobody@contoso.test/messages')).status).toBe(404);
    // A token without Mail.* scopes may read /me but not mail: 403 ErrorAccessDenied.
    const auth = new URL(`${emu.baseUrl}/common/oauth2/v2.0/authorize`);
    auth.search = new URLSearchParams({
      client_id: 'c1',
      response_type: 'code',
      redirect_uri: 'http://localhost:1/cb',
      scope: 'User.Read',
    }).toString();
    const code = new URL((await fetch(auth, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
    const narrow = (await (
      await fetch(`${emu.baseUrl}/common/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({
          client_id: 'c1',
          grant_type: 'authorization_code',
          code,
          redirect_uri: 'http://localhost:1/cb',
        }),
      })
    ).json()) as Json;
    expect((await g('', { as: narrow.access_token })).status).toBe(200);
    const denied = await g('/messages', { as: narrow.access_token });
    expect(denied.status).toBe(403);
    expect((await denied.json()).error.code).toBe('ErrorAccessDenied');
  });

  it('$batch: per-request results, dependsOn, >20 -> 400', async () => {
    const some = (await (await g('/messages?$top=1')).json()).value[0];
    const res = await g('/$batch', {
      method: 'POST',
      body: JSON.stringify({
        requests: [
          {
            id: '1',
            method: 'PATCH',
            url: `/me/messages/${some.id}`,
            headers: { 'content-type': 'application/json' },
            body: { isRead: false },
          },
          { id: '2', method: 'GET', url: `/me/messages/${some.id}?$select=isRead`, dependsOn: ['1'] },
          { id: '3', method: 'GET', url: '/me/messages/AAMkAGI2doesnotexist' },
          { id: '4', method: 'GET', url: '/me', dependsOn: ['3'] },
        ],
      }),
    });
    const body = (await res.json()) as Json;
    const r = Object.fromEntries(body.responses.map((x: { id: string }) => [x.id, x]));
    expect(r['1'].status).toBe(200);
    expect(r['2'].body.isRead).toBe(false);
    expect(r['3'].status).toBe(404);
    expect(r['4'].status).toBe(424);
    const many = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/me' }));
    const tooMany = await g('/$batch', { method: 'POST', body: JSON.stringify({ requests: many }) });
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).error.code).toBe('BadRequest');
  });

  it('throttling: 429 ApplicationThrottled with Retry-After', async () => {
    await control('/throttle', { requestsPerSecond: 2 });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await g('');
      statuses.push(last.status);
      if (last.status === 429) break;
    }
    await control('/throttle', { requestsPerSecond: 0 });
    expect(statuses).toContain(429);
    expect(last!.headers.get('retry-after')).toBe('1');
    expect(((await last!.json()) as Json).error.code).toBe('ApplicationThrottled');
    // A 429 storm from the fault injector answers in Graph's shape too.
    await fetch(`${emu.controlUrl}/faults`, {
      method: 'POST',
      body: JSON.stringify({ fault: { endpoint: 'graph.messages.delta', kind: 'rateLimit', count: 1, retryAfter: 3 } }),
    });
    const storm = await g('/mailFolders/inbox/messages/delta');
    expect(storm.status).toBe(429);
    expect(storm.headers.get('retry-after')).toBe('3');
    expect((await storm.json()).error.code).toBe('TooManyRequests');
    expect((await g('/mailFolders/inbox/messages/delta')).status).toBe(200);
  });
});
