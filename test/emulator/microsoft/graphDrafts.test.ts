/**
 * Draft messages as Microsoft Graph documents them (user: create message, message: update, message: send,
 * message: delete): created in Drafts with isDraft true, from JSON or MIME; PATCHed while a draft (body,
 * subject, recipients) and refused for a message that is not one; sent (202, into Sent Items, the draft gone,
 * recipients delivered); deleted. The Drafts folder's delta shows each change. Through fetch, as Outpost's
 * Graph client (main/providers/graph/graphClient.ts) talks to Graph.
 */
import { describe, expect, it } from 'vitest';
import { graphEmulatorForFile, type Json } from './graphHarness.ts';
import { signIn } from './testAuth.ts';

const h = graphEmulatorForFile();
const immutable = { prefer: 'IdType="ImmutableId"' };

async function drain(url: string): Promise<{ items: Json[]; deltaLink: string }> {
  const items: Json[] = [];
  for (;;) {
    const res = await fetch(url, { headers: { authorization: `Bearer ${h.token}`, ...immutable } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    items.push(...body.value);
    if (body['@odata.nextLink']) url = body['@odata.nextLink'];
    else return { items, deltaLink: body['@odata.deltaLink'] };
  }
}

const json = (method: string, body: unknown): RequestInit => ({
  method,
  body: JSON.stringify(body),
  headers: immutable,
});
const to = (address: string) => [{ emailAddress: { address } }];

describe('Graph draft messages', () => {
  it('create, PATCH, send and delete a draft; the Drafts delta shows each', async () => {
    const start = await drain(`${h.emu.baseUrl}/v1.0/me/mailFolders/drafts/messages/delta?$select=subject,isDraft`);

    const created = await h.g(
      '/messages',
      json('POST', { subject: 'Plans', body: { contentType: 'text', content: 'First words.' }, toRecipients: [] }),
    );
    expect(created.status).toBe(201);
    const draft = await created.json();
    expect(draft).toMatchObject({ isDraft: true, subject: 'Plans', toRecipients: [] });
    const drafts = await (await h.g('/mailFolders/drafts', {})).json();
    expect(draft.parentFolderId).toBe(drafts.id);
    let delta = await drain(start.deltaLink);
    expect(delta.items).toEqual([expect.objectContaining({ id: draft.id, subject: 'Plans', isDraft: true })]);

    const patched = await h.g(
      `/messages/${draft.id}`,
      json('PATCH', {
        subject: 'Plans, again',
        body: { contentType: 'html', content: '<p>Second words.</p>' },
        toRecipients: to('alice@contoso.test'),
        bccRecipients: to('carol@example.com'),
      }),
    );
    expect(patched.status).toBe(200);
    const after = await patched.json();
    expect(after).toMatchObject({
      id: draft.id,
      isDraft: true,
      subject: 'Plans, again',
      internetMessageId: draft.internetMessageId,
      toRecipients: [expect.objectContaining({ emailAddress: expect.objectContaining({ address: 'alice@contoso.test' }) })],
      bccRecipients: [expect.objectContaining({ emailAddress: expect.objectContaining({ address: 'carol@example.com' }) })],
    });
    expect(after.body.content).toContain('Second words.');
    // A PATCH that leaves the recipients out keeps them.
    const subjectOnly = await (await h.g(`/messages/${draft.id}`, json('PATCH', { subject: 'Plans, third' }))).json();
    expect(subjectOnly.toRecipients).toHaveLength(1);
    expect(subjectOnly.body.content).toContain('Second words.');
    delta = await drain(delta.deltaLink);
    expect(delta.items).toEqual([expect.objectContaining({ id: draft.id, subject: 'Plans, third' })]);

    expect((await h.g(`/messages/${draft.id}/send`, { method: 'POST', headers: immutable })).status).toBe(202);
    delta = await drain(delta.deltaLink);
    expect(delta.items).toEqual([{ id: draft.id, '@removed': { reason: 'deleted' } }]);
    const sent = await (await h.g(`/messages/${draft.id}`, { headers: immutable })).json();
    const sentItems = await (await h.g('/mailFolders/sentitems', {})).json();
    expect(sent).toMatchObject({ isDraft: false, parentFolderId: sentItems.id, subject: 'Plans, third' });
    // The recipient has it, without the Bcc.
    const alice = await signIn(h.emu.baseUrl, 'alice@contoso.test');
    const filter = encodeURIComponent(`internetMessageId eq '${draft.internetMessageId}'`);
    const inbox = await (await h.g(`/mailFolders/inbox/messages?$filter=${filter}`, {}, alice)).json();
    expect(inbox.value).toHaveLength(1);

    const other = await (
      await h.g('/messages', json('POST', { subject: 'Never sent', toRecipients: to('a@example.com') }))
    ).json();
    expect((await h.g(`/messages/${other.id}`, { method: 'DELETE', headers: immutable })).status).toBe(204);
    delta = await drain(delta.deltaLink);
    expect(delta.items).toEqual([expect.objectContaining({ id: other.id, '@removed': expect.anything() })]);
  });

  it('a draft from MIME keeps its Message-ID; an internetMessageId given in JSON is kept too', async () => {
    const mime = [
      'From: bob@contoso.test',
      'To: alice@contoso.test',
      'Subject: From MIME',
      'Message-ID: <mime-draft-1@outpost.test>',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Body.',
    ].join('\r\n');
    const created = await h.g('/messages', {
      method: 'POST',
      body: Buffer.from(mime).toString('base64'),
      headers: { ...immutable, 'content-type': 'text/plain' },
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      isDraft: true,
      subject: 'From MIME',
      internetMessageId: '<mime-draft-1@outpost.test>',
    });

    const given = await (
      await h.g('/messages', json('POST', { subject: 'Chosen id', internetMessageId: '<chosen-1@outpost.test>' }))
    ).json();
    expect(given.internetMessageId).toBe('<chosen-1@outpost.test>');
    const filter = encodeURIComponent(`internetMessageId eq '<chosen-1@outpost.test>'`);
    const found = await (await h.g(`/mailFolders/drafts/messages?$filter=${filter}`, { headers: immutable })).json();
    expect(found.value.map((m: Json) => m.id)).toEqual([given.id]);
  });

  it('refuses a body or recipients PATCH on a message that is not a draft, and sending a draft without recipients', async () => {
    const inbox = await (await h.g('/mailFolders/inbox/messages?$top=1&$select=subject,isRead', { headers: immutable })).json();
    const message = inbox.value[0];
    const refused = await h.g(`/messages/${message.id}`, json('PATCH', { body: { contentType: 'text', content: 'x' } }));
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.code).toBe('ErrorInvalidPropertyUpdateSentMessage');
    const alsoRefused = await h.g(`/messages/${message.id}`, json('PATCH', { toRecipients: to('x@example.com') }));
    expect(alsoRefused.status).toBe(400);
    // Flags still change on any message.
    expect((await h.g(`/messages/${message.id}`, json('PATCH', { isRead: !message.isRead }))).status).toBe(200);

    const empty = await (await h.g('/messages', json('POST', { subject: 'Nobody yet' }))).json();
    const send = await h.g(`/messages/${empty.id}/send`, { method: 'POST', headers: immutable });
    expect(send.status).toBe(400);
    expect((await send.json()).error.code).toBe('ErrorInvalidRecipients');
    expect((await h.g(`/messages/${empty.id}`, { headers: immutable })).status).toBe(200);
  });
});
