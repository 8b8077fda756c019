import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../index.ts';
import {
  type AnyJson,
  CLIENT_ID,
  control,
  failure,
  GMAIL_MODIFY,
  gmailFor,
  oauthClient,
  REDIRECT_URI,
  signIn,
  start,
} from './harness.ts';

describe('Google OAuth 2.0 for installed apps', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await start({ seed: { kind: 'empty' }, serviceOptions: { google: { accessTokenLifetimeSec: 2 } } });
  });
  afterAll(() => emu.stop());

  it('signs in with PKCE S256 through OAuth2Client and calls Gmail', async () => {
    const auth = await signIn(emu, [GMAIL_MODIFY]);
    expect(auth.credentials.refresh_token).toMatch(/^1\/\//);
    const profile = await gmailFor(emu, auth).users.getProfile({ userId: 'me' });
    expect(profile.data.emailAddress).toBe('alice@gmail.test');
  });

  it('shows a consent page with an Allow button when auto-consent is off', async () => {
    await control(emu, 'POST', '/google/consent', { autoConsent: false });
    const url = oauthClient(emu).generateAuthUrl({ scope: [GMAIL_MODIFY], state: 'x' });
    const html = await (await fetch(url)).text();
    expect(html).toContain('id="submit_approve_access"');
    const form = new URLSearchParams({
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: GMAIL_MODIFY,
      state: 'x',
      consent: 'allow',
    });
    const res = await fetch(`${emu.baseUrl}/o/oauth2/v2/auth/approve`, { method: 'POST', body: form, redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location') ?? '').searchParams.get('code')).toBeTruthy();
    await control(emu, 'POST', '/google/consent', { autoConsent: true });
  });

  it('rejects a wrong code verifier and a reused code with invalid_grant', async () => {
    const client = oauthClient(emu);
    const { codeChallenge } = await client.generateCodeVerifierAsync();
    const url = client.generateAuthUrl({
      scope: [GMAIL_MODIFY],
      code_challenge: codeChallenge,
      code_challenge_method: 'S256' as never,
    });
    const code = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '').searchParams.get('code') ?? '';
    const wrong = await failure(client.getToken({ code, codeVerifier: 'x'.repeat(64) }));
    expect(wrong.status).toBe(400);
    expect(wrong.error).toBe('invalid_grant');
    const reused = await failure(client.getToken({ code, codeVerifier: 'x'.repeat(64) }));
    expect(reused.error).toBe('invalid_grant');
  });

  it('answers invalid_client for a missing client', async () => {
    const res = await fetch(`${emu.baseUrl}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x' }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as AnyJson).error).toBe('invalid_client');
  });

  it('refreshes an expired access token, and refuses a revoked refresh token', async () => {
    const auth = await signIn(emu, [GMAIL_MODIFY]);
    const first = auth.credentials.access_token;
    await control(emu, 'POST', '/clock', { advanceMs: 5_000 });
    const gmail = gmailFor(emu, auth);
    await gmail.users.labels.list({ userId: 'me' }); // google-auth-library refreshes (expiry_date passed)
    expect(auth.credentials.access_token).not.toBe(first);
    await auth.revokeCredentials();
    const stale = oauthClient(emu);
    stale.setCredentials({ refresh_token: 'revoked-or-unknown' });
    const refused = await failure(stale.refreshAccessToken());
    expect(refused.error).toBe('invalid_grant');
  });

  it('answers 401 in Google shape for a bad bearer token', async () => {
    const res = await fetch(`${emu.baseUrl}/gmail/v1/users/me/profile`, { headers: { authorization: 'Bearer nope' } });
    expect(res.status).toBe(401);
    const body = (await res.json()) as AnyJson;
    expect(body.error).toMatchObject({
      code: 401,
      status: 'UNAUTHENTICATED',
      errors: [{ reason: 'authError', location: 'Authorization' }],
    });
  });

  it('answers 403 ACCESS_TOKEN_SCOPE_INSUFFICIENT for a token without the scope', async () => {
    const auth = await signIn(emu, ['https://www.googleapis.com/auth/calendar.readonly']);
    const denied = await failure(gmailFor(emu, auth).users.messages.list({ userId: 'me' }));
    expect(denied.status).toBe(403);
    expect(denied.error.errors[0].reason).toBe('insufficientPermissions');
    expect(denied.error.details[0].reason).toBe('ACCESS_TOKEN_SCOPE_INSUFFICIENT');
  });
});
