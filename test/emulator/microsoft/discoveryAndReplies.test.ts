/**
 * Endpoints the other Microsoft suites leave out: the signing keys behind the id_token, instance
 * discovery (the document msal-node reads when an authority is not in knownAuthorities), childFolders, $count, replyAll and
 * createReplyAll + send, and the immutable-id preference.
 */
import { createPublicKey, createVerify, type JsonWebKey } from 'node:crypto';
import { PublicClientApplication } from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../index.ts';
import { CLIENT_ID, openBrowser, SCOPES, signIn } from './testAuth.ts';

// biome-ignore lint/suspicious/noExplicitAny: assertions read JSON bodies of many shapes
type Json = any;

let emu: RunningEmulator;
let bob: string;
let alice: string;
const g = async (
  path: string,
  token: string,
  init: RequestInit = {},
): Promise<{ status: number; headers: Headers; body: Json }> => {
  const res = await fetch(`${emu.baseUrl}/v1.0${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text,
  };
};

beforeAll(async () => {
  emu = await startEmulator({ seed: { kind: 'corpus' }, autoConsent: true });
  bob = await signIn(emu.baseUrl);
  alice = await signIn(emu.baseUrl, 'alice@contoso.test');
});
afterAll(() => emu?.stop());

describe('identity platform discovery', () => {
  it('the id_token verifies against the jwks_uri of the OpenID configuration', async () => {
    const app = new PublicClientApplication({
      auth: { clientId: CLIENT_ID, authority: `${emu.baseUrl}/common`, knownAuthorities: [new URL(emu.baseUrl).host] },
    });
    const result = await app.acquireTokenInteractive({ scopes: SCOPES, openBrowser, successTemplate: 'ok', errorTemplate: 'e' });
    const config = (await (await fetch(`${emu.baseUrl}/common/v2.0/.well-known/openid-configuration`)).json()) as Json;
    const { keys } = (await (await fetch(config.jwks_uri)).json()) as { keys: Array<JsonWebKey & { kid: string }> };
    const [head = '', payload = '', signature = ''] = result.idToken.split('.');
    const header = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg: string; kid: string };
    expect(header.alg).toBe('RS256');
    const jwk = keys.find((k) => k.kid === header.kid);
    expect(jwk).toBeTruthy();
    const verified = createVerify('RSA-SHA256')
      .update(`${head}.${payload}`)
      .verify(createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }), Buffer.from(signature, 'base64url'));
    expect(verified).toBe(true);
    // A tampered payload does not verify.
    const forged = Buffer.from(JSON.stringify({ ...result.idTokenClaims, preferred_username: 'mallory@contoso.test' })).toString(
      'base64url',
    );
    expect(
      createVerify('RSA-SHA256')
        .update(`${head}.${forged}`)
        .verify(createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }), Buffer.from(signature, 'base64url')),
    ).toBe(false);
    expect(config.issuer).toBe(`${emu.baseUrl}/{tenantid}/v2.0`);
  });

  it('instance discovery names the host as its own alias and points at the tenant discovery document', async () => {
    const authorize = `${emu.baseUrl}/organizations/oauth2/v2.0/authorize`;
    const res = await fetch(
      `${emu.baseUrl}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(authorize)}`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    const host = new URL(emu.baseUrl).host;
    expect(body.tenant_discovery_endpoint).toBe(`${emu.baseUrl}/organizations/v2.0/.well-known/openid-configuration`);
    expect(body.metadata[0]).toMatchObject({ preferred_network: host, preferred_cache: host, aliases: [host] });
    const config = await fetch(body.tenant_discovery_endpoint);
    expect(((await config.json()) as Json).token_endpoint).toBe(`${emu.baseUrl}/organizations/oauth2/v2.0/token`);
  });
});

describe('Graph mail: child folders, $count, reply all', () => {
  it('childFolders lists a folder’s children; $count counts what the filter keeps', async () => {
    const root = await g('/me/mailFolders', bob);
    const inbox = root.body.value.find((f: Json) => f.wellKnownName === 'inbox');
    const children = await g(`/me/mailFolders/${inbox.id}/childFolders`, bob);
    expect(children.status).toBe(200);
    expect(children.body.value).toHaveLength(inbox.childFolderCount);
    for (const f of children.body.value) expect(f.parentFolderId).toBe(inbox.id);

    const unread = await g('/me/mailFolders/inbox/messages?$filter=isRead eq false&$count=true&$top=5', bob);
    expect(unread.body.value.length).toBeLessThanOrEqual(5);
    for (const m of unread.body.value) expect(m.isRead).toBe(false);
    const all = await g('/me/mailFolders/inbox/messages?$count=true&$top=1', bob);
    expect(unread.body['@odata.count']).toBeGreaterThan(0);
    expect(unread.body['@odata.count']).toBeLessThan(all.body['@odata.count']);
    expect(all.body['@odata.count']).toBe(inbox.totalItemCount);
  });

  it('replyAll reaches everyone on the thread; createReplyAll + send does too, from the draft', async () => {
    const sent = await g('/me/sendMail', alice, {
      method: 'POST',
      body: JSON.stringify({
        message: {
          subject: 'Offsite plan',
          body: { contentType: 'text', content: 'Thoughts?' },
          toRecipients: [{ emailAddress: { address: 'bob@contoso.test' } }],
          ccRecipients: [{ emailAddress: { address: 'carol@example.com' } }],
        },
      }),
    });
    expect(sent.status).toBe(202);
    const inbox = await g('/me/messages?$top=20&$orderby=receivedDateTime desc', bob);
    const original = inbox.body.value.find((m: Json) => m.subject === 'Offsite plan');
    expect(original).toBeTruthy();

    const direct = await g(`/me/messages/${original.id}/replyAll`, bob, {
      method: 'POST',
      body: JSON.stringify({ comment: 'Count me in' }),
    });
    expect(direct.status).toBe(202);
    const sentItems = await g('/me/mailFolders/sentitems/messages?$top=1', bob);
    const replyAll = sentItems.body.value[0];
    expect(replyAll.subject).toBe('RE: Offsite plan');
    expect(replyAll.conversationId).toBe(original.conversationId);
    const to = replyAll.toRecipients.map((r: Json) => r.emailAddress.address);
    const cc = replyAll.ccRecipients.map((r: Json) => r.emailAddress.address);
    expect([...to, ...cc].sort()).toEqual(['alice@contoso.test', 'carol@example.com']);

    const draft = await g(`/me/messages/${original.id}/createReplyAll`, bob, { method: 'POST', body: '{}' });
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ isDraft: true, subject: 'RE: Offsite plan', conversationId: original.conversationId });
    expect((await g(`/me/messages/${draft.body.id}/send`, bob, { method: 'POST' })).status).toBe(202);
    const aliceInbox = await g('/me/mailFolders/inbox/messages?$top=5', alice);
    const replies = aliceInbox.body.value.filter((m: Json) => m.subject === 'RE: Offsite plan');
    expect(replies).toHaveLength(2);
  });

  it('Prefer: IdType="ImmutableId" is acknowledged, and ids survive a move', async () => {
    const immutable = { prefer: 'IdType="ImmutableId"' };
    const list = await g('/me/mailFolders/inbox/messages?$top=1&$select=id,subject', bob, { headers: immutable });
    expect(list.headers.get('preference-applied')).toBe('IdType="ImmutableId"');
    // Graph answers compact JSON (Google pretty-prints; the emulator follows each).
    const raw = await fetch(`${emu.baseUrl}/v1.0/me/mailFolders/inbox`, { headers: { authorization: `Bearer ${bob}` } });
    expect(await raw.text()).not.toContain('\n');
    const id = list.body.value[0].id;
    const moved = await g(`/me/messages/${id}/move`, bob, {
      method: 'POST',
      body: '{"destinationId":"archive"}',
      headers: immutable,
    });
    expect(moved.status).toBe(201);
    expect(moved.body.id).toBe(id);
    expect((await g(`/me/messages/${id}`, bob, { headers: immutable })).body.parentFolderId).toBe(
      (await g('/me/mailFolders/archive', bob)).body.id,
    );
  });
});
