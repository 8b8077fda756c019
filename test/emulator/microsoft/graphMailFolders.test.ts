import { describe, expect, it } from 'vitest';
import { graphEmulatorForFile, type Json } from './graphHarness.ts';

const h = graphEmulatorForFile();
const { g } = h;
const post = (path: string, body: object) => g(path, { method: 'POST', body: JSON.stringify(body) });
const patch = (path: string, body: object) => g(path, { method: 'PATCH', body: JSON.stringify(body) });
const arrive = async (folder: string, subject: string): Promise<Json> =>
  (
    await fetch(`${h.emu.controlUrl}/microsoft/messages`, {
      method: 'POST',
      body: JSON.stringify({ folder, subject, from: 'carol@fabrikam.test', body: 'hello' }),
    })
  ).json();

async function drain(url: string) {
  const items: Json[] = [];
  for (;;) {
    const body: Json = await (await fetch(url, { headers: { authorization: `Bearer ${h.token}` } })).json();
    items.push(...body.value);
    if (body['@odata.nextLink']) url = body['@odata.nextLink'];
    else return { items, deltaLink: body['@odata.deltaLink'] as string };
  }
}
const messageIds = async (folderId: string) =>
  ((await (await g(`/mailFolders/${folderId}/messages?$top=100&$select=subject`)).json()).value as Json[])
    .map((m) => m.subject)
    .sort();

describe('Graph mailFolder create, rename, delete', () => {
  it('POST /mailFolders creates a top-level folder (201) that the folder list then holds', async () => {
    const res = await post('/mailFolders', { displayName: 'Receipts 2026' });
    expect(res.status).toBe(201);
    const folder = await res.json();
    const root = (await (await g('/mailFolders/inbox')).json()).parentFolderId;
    expect(folder).toMatchObject({
      displayName: 'Receipts 2026',
      parentFolderId: root,
      childFolderCount: 0,
      totalItemCount: 0,
      unreadItemCount: 0,
    });
    expect(folder.id).toMatch(/^[A-Za-z0-9_-]{16,}/);
    const list = (await (await g('/mailFolders?$top=100')).json()).value;
    expect(list.map((f: Json) => f.id)).toContain(folder.id);
    expect((await (await g(`/mailFolders/${folder.id}`)).json()).displayName).toBe('Receipts 2026');
  });

  it('POST /mailFolders/{id}/childFolders creates under a folder named by id or well-known name', async () => {
    const res = await post('/mailFolders/inbox/childFolders', { displayName: 'Newsletters' });
    expect(res.status).toBe(201);
    const child = await res.json();
    const inbox = await (await g('/mailFolders/inbox')).json();
    expect(child.parentFolderId).toBe(inbox.id);
    expect(inbox.childFolderCount).toBeGreaterThanOrEqual(1);
    const grandchild = await (await post(`/mailFolders/${child.id}/childFolders`, { displayName: 'Weekly' })).json();
    expect(grandchild.parentFolderId).toBe(child.id);
    const children = (await (await g(`/mailFolders/${child.id}/childFolders`)).json()).value;
    expect(children.map((f: Json) => f.displayName)).toEqual(['Weekly']);
  });

  it('a name already used under the same parent (in any case) is 409 ErrorFolderExists; elsewhere it is fine', async () => {
    await post('/mailFolders', { displayName: 'Taxes' });
    for (const name of ['Taxes', 'TAXES']) {
      const res = await post('/mailFolders', { displayName: name });
      expect(res.status).toBe(409);
      expect((await res.json()).error).toMatchObject({
        code: 'ErrorFolderExists',
        message: 'A folder with the specified name already exists.',
      });
    }
    expect((await post('/mailFolders/inbox/childFolders', { displayName: 'Taxes' })).status).toBe(201);
    const wellKnown = await post('/mailFolders', { displayName: 'Inbox' });
    expect(wellKnown.status).toBe(409);
  });

  it('bad bodies and unknown parents: 400 without a displayName, 404 ErrorItemNotFound for the parent', async () => {
    for (const body of [{}, { displayName: '' }, { displayName: 42 }]) {
      const res = await post('/mailFolders', body);
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe('ErrorInvalidRequest');
    }
    const unreadable = await g('/mailFolders', { method: 'POST', body: '{not json' });
    expect(unreadable.status).toBe(400);
    const orphan = await post('/mailFolders/AAMkAGI2unknownFolder0000=/childFolders', { displayName: 'x' });
    expect(orphan.status).toBe(404);
    expect((await orphan.json()).error.code).toBe('ErrorItemNotFound');
  });

  it('PATCH renames: same id, its messages and its delta link carry on', async () => {
    const folder = await (await post('/mailFolders', { displayName: 'Projekte' })).json();
    await arrive(folder.id, 'Kickoff');
    const first = await drain(`${h.emu.baseUrl}/v1.0/me/mailFolders/${folder.id}/messages/delta`);
    expect(first.items.map((m) => m.subject)).toEqual(['Kickoff']);
    const res = await patch(`/mailFolders/${folder.id}`, { displayName: 'Projects 2026' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: folder.id, displayName: 'Projects 2026', totalItemCount: 1 });
    expect(await messageIds(folder.id)).toEqual(['Kickoff']);
    expect((await drain(first.deltaLink)).items).toEqual([]);
    await arrive(folder.id, 'Second');
    const next = await drain(first.deltaLink);
    expect(next.items.map((m) => m.subject)).toEqual(['Second']);
    expect(next.items[0].parentFolderId).toBe(folder.id);
  });

  it('PATCH to a sibling name is 409 ErrorFolderExists; an unknown folder 404; a bad displayName 400', async () => {
    const a = await (await post('/mailFolders', { displayName: 'Alpha' })).json();
    await post('/mailFolders', { displayName: 'Beta' });
    const clash = await patch(`/mailFolders/${a.id}`, { displayName: 'beta' });
    expect(clash.status).toBe(409);
    expect((await clash.json()).error.code).toBe('ErrorFolderExists');
    expect((await (await g(`/mailFolders/${a.id}`)).json()).displayName).toBe('Alpha');
    expect((await patch(`/mailFolders/${a.id}`, { displayName: 'Alpha' })).status).toBe(200);
    expect((await patch('/mailFolders/AAMkAGI2unknownFolder0000=', { displayName: 'x' })).status).toBe(404);
    const bad = await patch(`/mailFolders/${a.id}`, { displayName: '' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('ErrorInvalidRequest');
  });

  it('DELETE moves the folder, with its messages and subfolders, into Deleted Items (204)', async () => {
    const trash = await (await g('/mailFolders/deleteditems')).json();
    const folder = await (await post('/mailFolders', { displayName: 'Old stuff' })).json();
    const sub = await (await post(`/mailFolders/${folder.id}/childFolders`, { displayName: 'Older' })).json();
    await arrive(folder.id, 'Archived note');
    const before = await drain(`${h.emu.baseUrl}/v1.0/me/mailFolders/${folder.id}/messages/delta`);
    const res = await g(`/mailFolders/${folder.id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    const moved = await (await g(`/mailFolders/${folder.id}`)).json();
    expect(moved).toMatchObject({ id: folder.id, parentFolderId: trash.id, totalItemCount: 1 });
    expect((await (await g(`/mailFolders/${sub.id}`)).json()).parentFolderId).toBe(folder.id);
    const trashChildren = (await (await g('/mailFolders/deleteditems/childFolders')).json()).value;
    expect(trashChildren.map((f: Json) => f.id)).toContain(folder.id);
    const top = (await (await g('/mailFolders?$top=100')).json()).value;
    expect(top.map((f: Json) => f.id)).not.toContain(folder.id);
    expect(await messageIds(folder.id)).toEqual(['Archived note']);
    expect((await drain(before.deltaLink)).items).toEqual([]);
  });

  it('DELETE from Deleted Items is permanent: the folder, its subfolders and their messages are gone', async () => {
    const folder = await (await post('/mailFolders', { displayName: 'Disposable' })).json();
    const sub = await (await post(`/mailFolders/${folder.id}/childFolders`, { displayName: 'Inner' })).json();
    const { id: messageId } = await arrive(sub.id, 'Inner note');
    expect((await g(`/mailFolders/${folder.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await g(`/mailFolders/${folder.id}`, { method: 'DELETE' })).status).toBe(204);
    for (const id of [folder.id, sub.id]) {
      const res = await g(`/mailFolders/${id}`);
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe('ErrorItemNotFound');
    }
    expect((await g(`/messages/${messageId}`)).status).toBe(404);
    const snapshot = ((await (await fetch(`${h.emu.controlUrl}/snapshot`)).json()) as Json).microsoft.users[0];
    expect(snapshot.folders.map((f: Json) => f.id)).not.toContain(sub.id);
    expect(snapshot.messages.map((m: Json) => m.parentFolderId)).not.toContain(sub.id);
  });

  it('a well-known folder cannot be deleted: 400 ErrorDeleteDistinguishedFolder, nothing moved', async () => {
    for (const name of ['inbox', 'sentitems', 'drafts', 'deleteditems', 'junkemail', 'archive']) {
      const folder = await (await g(`/mailFolders/${name}`)).json();
      for (const ref of [name, folder.id]) {
        const res = await g(`/mailFolders/${ref}`, { method: 'DELETE' });
        expect(res.status).toBe(400);
        expect((await res.json()).error).toMatchObject({
          code: 'ErrorDeleteDistinguishedFolder',
          message: 'Distinguished folders cannot be deleted.',
        });
      }
      expect((await (await g(`/mailFolders/${name}`)).json()).parentFolderId).toBe(folder.parentFolderId);
    }
    expect((await g('/mailFolders/AAMkAGI2unknownFolder0000=', { method: 'DELETE' })).status).toBe(404);
  });

  it('needs Mail.ReadWrite: the routes are in the mail permission family', async () => {
    const res = await fetch(`${h.emu.baseUrl}/v1.0/me/mailFolders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"displayName":"x"}',
    });
    expect(res.status).toBe(401);
  });
});
