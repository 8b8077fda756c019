/**
 * Endpoints the other Google suites leave out: history.list filtered by labelId and paged with
 * maxResults/pageToken, OAuth revocation, tokeninfo and userinfo, and a server-side expiry of
 * access tokens that googleapis must survive by refreshing on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../index.ts';
import { type AnyJson, control, gmailFor, signIn, start } from './harness.ts';

const FULL = 'https://mail.google.com/';
const EMAIL = 'https://www.googleapis.com/auth/userinfo.email';

describe('Gmail history paging and labelId, OAuth revoke / tokeninfo / userinfo / refresh on expiry', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await start({ seed: { kind: 'synthetic', count: 300 }, serviceOptions: { google: { quotaEnabled: false } } });
  });
  afterAll(() => emu.stop());

  it('history.list pages with maxResults/pageToken and keeps only records touching labelId', async () => {
    const gmail = gmailFor(emu, await signIn(emu, [FULL]));
    const { data } = await gmail.users.messages.list({ userId: 'me', maxResults: 7 });
    const ids = (data.messages ?? []).map((m) => m.id ?? '');
    expect(ids).toHaveLength(7);
    // Seven label changes with two fresh labels (adding a label a message already has records nothing).
    const alpha = (await gmail.users.labels.create({ userId: 'me', requestBody: { name: 'History Alpha' } })).data.id ?? '';
    const beta = (await gmail.users.labels.create({ userId: 'me', requestBody: { name: 'History Beta' } })).data.id ?? '';
    const start = (await gmail.users.getProfile({ userId: 'me' })).data.historyId ?? '';
    for (const [i, id] of ids.entries()) {
      await gmail.users.messages.modify({ userId: 'me', id, requestBody: { addLabelIds: [i < 4 ? alpha : beta] } });
    }

    const pages: AnyJson[] = [];
    let pageToken: string | undefined;
    do {
      const page = await gmail.users.history.list({ userId: 'me', startHistoryId: start, maxResults: 3, pageToken });
      pages.push(page.data);
      pageToken = page.data.nextPageToken ?? undefined;
    } while (pageToken);
    expect(pages.map((p) => p.history?.length ?? 0)).toEqual([3, 3, 1]);
    const records = pages.flatMap((p) => p.history ?? []);
    expect(records.map((r: AnyJson) => r.labelsAdded[0].message.id)).toEqual(ids);
    // Every page reports the mailbox's current historyId; record ids ascend across pages.
    expect(new Set(pages.map((p) => p.historyId)).size).toBe(1);
    const recordIds = records.map((r: AnyJson) => Number(r.id));
    expect(recordIds).toEqual([...recordIds].sort((a, b) => a - b));

    const starred = await gmail.users.history.list({ userId: 'me', startHistoryId: start, labelId: alpha });
    expect(starred.data.history?.map((r) => r.labelsAdded?.[0]?.message?.id)).toEqual(ids.slice(0, 4));
    const removed = await gmail.users.history.list({
      userId: 'me',
      startHistoryId: start,
      labelId: beta,
      historyTypes: ['labelRemoved'],
    });
    expect(removed.data.history ?? []).toEqual([]);
  });

  it('/revoke ends the grant: the access token answers 401 and the refresh token invalid_grant', async () => {
    const auth = await signIn(emu, [FULL]);
    const gmail = gmailFor(emu, auth);
    await gmail.users.getProfile({ userId: 'me' });
    const { access_token: access, refresh_token: refresh } = auth.credentials;
    await auth.revokeToken(access ?? '');
    const res = await fetch(`${emu.baseUrl}/gmail/v1/users/me/profile`, { headers: { authorization: `Bearer ${access}` } });
    expect(res.status).toBe(401);
    const token = await fetch(`${emu.baseUrl}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refresh ?? '', client_id: 'x' }),
    });
    expect(token.status).toBe(400);
    expect(((await token.json()) as AnyJson).error).toBe('invalid_grant');
  });

  it('tokeninfo (OAuth2Client.getTokenInfo) and userinfo describe the token and its user', async () => {
    const auth = await signIn(emu, [FULL, EMAIL]);
    const info = await auth.getTokenInfo(auth.credentials.access_token ?? '');
    expect(info.email).toBe('alice@gmail.test');
    expect(info.scopes).toEqual(expect.arrayContaining([FULL, EMAIL]));
    expect(info.expiry_date).toBeGreaterThan(Date.now());
    const user = (await auth.request({ url: `${emu.baseUrl}/oauth2/v3/userinfo` })).data as AnyJson;
    expect(user.email).toBe('alice@gmail.test');
    const bad = await fetch(`${emu.baseUrl}/tokeninfo?access_token=ya29.nope`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as AnyJson).error).toBe('invalid_token');
  });

  it('after the server expires every access token, a client with forceRefreshOnFailure refreshes once and carries on', async () => {
    const auth = await signIn(emu, [FULL]);
    // google-auth-library trusts its own expiry_date unless told to refresh when the server says 401.
    auth.forceRefreshOnFailure = true;
    const gmail = gmailFor(emu, auth);
    const before = auth.credentials.access_token;
    await control(emu, 'POST', '/google/expire-access-tokens');
    // The client still believes its token valid: the first call meets a 401, refreshes, and retries.
    const { data } = await gmail.users.getProfile({ userId: 'me' });
    expect(data.emailAddress).toBe('alice@gmail.test');
    expect(auth.credentials.access_token).not.toBe(before);
    // The old token stays dead.
    const old = await fetch(`${emu.baseUrl}/gmail/v1/users/me/profile`, { headers: { authorization: `Bearer ${before}` } });
    expect(old.status).toBe(401);
  });
});
