import { beforeAll, describe, expect, it } from 'vitest';
import { graphEmulatorForFile, type Json } from './graphHarness.ts';
import { SCOPES, signIn } from './testAuth.ts';

const h = graphEmulatorForFile({}, [...SCOPES, 'https://graph.microsoft.com/MailboxSettings.ReadWrite']);
let mailOnly: string;
const g = (path: string, init: RequestInit = {}, bearer?: string) => h.g(`/outlook/masterCategories${path}`, init, bearer);
const create = (body: object) => g('', { method: 'POST', body: JSON.stringify(body) });
const patch = (id: string, body: object) => g(`/${id}`, { method: 'PATCH', body: JSON.stringify(body) });

beforeAll(async () => {
  mailOnly = await signIn(h.emu.baseUrl);
});

describe('Graph master categories (/me/outlook/masterCategories)', () => {
  it("lists Outlook's six default categories, each with an id, displayName and preset colour", async () => {
    const res = await g('');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.value.map((c: Json) => [c.displayName, c.color])).toEqual([
      ['Red category', 'preset0'],
      ['Orange category', 'preset1'],
      ['Yellow category', 'preset3'],
      ['Green category', 'preset4'],
      ['Blue category', 'preset7'],
      ['Purple category', 'preset8'],
    ]);
    for (const c of body.value) expect(Object.keys(c).sort()).toEqual(['color', 'displayName', 'id']);
    const one = await (await g(`/${body.value[0].id}`)).json();
    expect(one).toMatchObject({ id: body.value[0].id, displayName: 'Red category', color: 'preset0' });
  });

  it('POST creates (201), with any colour preset0..preset24 or none; the list then holds it', async () => {
    const res = await create({ displayName: 'Project expenses', color: 'preset24' });
    expect(res.status).toBe(201);
    const made = await res.json();
    expect(made).toMatchObject({ displayName: 'Project expenses', color: 'preset24' });
    expect(made.id).toMatch(/^[0-9a-f-]{36}$/);
    const plain = await (await create({ displayName: 'No colour', color: 'none' })).json();
    expect(plain.color).toBe('none');
    const defaulted = await (await create({ displayName: 'Unpainted' })).json();
    expect(defaulted.color).toBe('none');
    const names = (await (await g('')).json()).value.map((c: Json) => c.displayName);
    expect(names).toEqual(expect.arrayContaining(['Project expenses', 'No colour', 'Unpainted']));
  });

  it('a displayName already in the list, in any case, is 409; the list is unchanged', async () => {
    await create({ displayName: 'Travel', color: 'preset2' });
    const before = (await (await g('')).json()).value.length;
    for (const displayName of ['Travel', 'TRAVEL', 'Red category']) {
      const res = await create({ displayName, color: 'preset5' });
      expect(res.status).toBe(409);
      expect((await res.json()).error.code).toBe('ErrorAlreadyExists');
    }
    expect((await (await g('')).json()).value).toHaveLength(before);
  });

  it('bad bodies: 400 for a missing name, a colour outside the presets, unreadable JSON', async () => {
    for (const body of [{}, { displayName: '' }, { displayName: 7 }]) {
      const res = await create(body);
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe('ErrorInvalidRequest');
    }
    for (const color of ['preset25', 'red', 'Preset1', '']) {
      const res = await create({ displayName: `Colour ${color}`, color });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({
        code: 'RequestBodyRead',
        message: `Requested value '${color}' was not found.`,
      });
    }
    expect((await g('', { method: 'POST', body: '{oops' })).status).toBe(400);
  });

  it('PATCH changes the colour only: displayName cannot change after create', async () => {
    const made = await (await create({ displayName: 'Budget', color: 'preset9' })).json();
    const res = await patch(made.id, { color: 'preset15' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: made.id, displayName: 'Budget', color: 'preset15' });
    expect((await patch(made.id, { displayName: 'Budget', color: 'preset16' })).status).toBe(200);
    const rename = await patch(made.id, { displayName: 'Budget 2027' });
    expect(rename.status).toBe(400);
    expect((await rename.json()).error.code).toBe('ErrorInvalidRequest');
    const badColour = await patch(made.id, { color: 'preset99' });
    expect(badColour.status).toBe(400);
    expect(await (await g(`/${made.id}`)).json()).toMatchObject({ displayName: 'Budget', color: 'preset16' });
  });

  it('DELETE removes it (204); the name can then be used again; unknown ids are 404 ErrorItemNotFound', async () => {
    const made = await (await create({ displayName: 'Temporary', color: 'preset3' })).json();
    const res = await g(`/${made.id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    for (const init of [{}, { method: 'DELETE' }, { method: 'PATCH', body: '{"color":"preset1"}' }]) {
      const gone = await g(`/${made.id}`, init);
      expect(gone.status).toBe(404);
      expect((await gone.json()).error.code).toBe('ErrorItemNotFound');
    }
    expect((await create({ displayName: 'Temporary' })).status).toBe(201);
  });

  it('needs MailboxSettings.Read or ReadWrite: 403 ErrorAccessDenied with the mail and calendar scopes alone', async () => {
    for (const init of [{}, { method: 'POST', body: '{"displayName":"Sneaky"}' }]) {
      const res = await g('', init, mailOnly);
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('ErrorAccessDenied');
    }
  });
});
