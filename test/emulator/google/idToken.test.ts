/**
 * Google id_tokens: an authorization that asks for openid gets an RS256 id_token from the token
 * endpoint (and from a refresh), which google-auth-library's OAuth2Client.verifyIdToken accepts with its
 * certificate endpoints pointed at the emulator (PEM certs, as Node's client fetches them; the JWKS too).
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../index.ts';
import { type AnyJson, CLIENT_ID, control, GMAIL_MODIFY, oauthClient, start } from './harness.ts';

/** Runs the installed-app flow with PKCE (and a nonce) and returns the token endpoint's answer. */
async function tokensFor(emu: RunningEmulator, scopes: string[], nonce?: string, loginHint = 'alice@gmail.test') {
  const client = oauthClient(emu);
  const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
  const url = new URL(
    client.generateAuthUrl({
      access_type: 'offline',
      scope: scopes,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256' as never,
      login_hint: loginHint,
    }),
  );
  if (nonce) url.searchParams.set('nonce', nonce);
  const res = await fetch(url, { redirect: 'manual' });
  const code = new URL(res.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const { tokens } = await client.getToken({ code, codeVerifier });
  return { client, tokens };
}

const claimsOf = (jwt: string): AnyJson => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString());

describe('Google id_tokens', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await start({ seed: { kind: 'empty' } });
  });
  afterAll(() => emu.stop());

  it('answers openid with an RS256 id_token that verifyIdToken accepts (PEM certs endpoint)', async () => {
    const { client, tokens } = await tokensFor(emu, ['openid', 'email', 'profile', GMAIL_MODIFY], 'n-0S6_WzA2Mj');
    expect(tokens.id_token).toBeTruthy();
    const ticket = await client.verifyIdToken({ idToken: tokens.id_token ?? '', audience: CLIENT_ID });
    const payload = ticket.getPayload();
    expect(payload).toMatchObject({
      iss: 'https://accounts.google.com',
      aud: CLIENT_ID,
      azp: CLIENT_ID,
      email: 'alice@gmail.test',
      email_verified: true,
      nonce: 'n-0S6_WzA2Mj',
    });
    expect(payload?.sub).toMatch(/^\d{21}$/);
    expect((payload?.exp ?? 0) - (payload?.iat ?? 0)).toBe(3600);
    // at_hash: the left half of SHA-256 of the access token, base64url (OpenID Connect Core 3.1.3.6).
    const digest = createHash('sha256')
      .update(tokens.access_token ?? '')
      .digest();
    expect(payload?.at_hash).toBe(digest.subarray(0, 16).toString('base64url'));
    const header = JSON.parse(Buffer.from((tokens.id_token ?? '').split('.')[0] ?? '', 'base64url').toString());
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    // Someone else's audience is refused by the library.
    await expect(
      client.verifyIdToken({ idToken: tokens.id_token ?? '', audience: 'other.apps.googleusercontent.com' }),
    ).rejects.toThrow(/audience/i);
  });

  it('serves the same key as a JWKS (v3/certs) and as PEM certificates (v1/certs), with a max-age', async () => {
    const { tokens } = await tokensFor(emu, ['openid', 'email']);
    const jwt = tokens.id_token ?? '';
    const [head, body, sig] = jwt.split('.') as [string, string, string];
    const kid = JSON.parse(Buffer.from(head, 'base64url').toString()).kid;
    const jwksRes = await fetch(`${emu.baseUrl}/oauth2/v3/certs`);
    expect(jwksRes.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const jwks = (await jwksRes.json()) as AnyJson;
    const jwk = jwks.keys.find((k: AnyJson) => k.kid === kid);
    expect(jwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    const pems = (await (await fetch(`${emu.baseUrl}/oauth2/v1/certs`)).json()) as AnyJson;
    // OpenID discovery names the issuer and the same JWKS.
    const config = (await (await fetch(`${emu.baseUrl}/.well-known/openid-configuration`)).json()) as AnyJson;
    expect(config).toMatchObject({ issuer: 'https://accounts.google.com', jwks_uri: `${emu.baseUrl}/oauth2/v3/certs` });
    expect(config.id_token_signing_alg_values_supported).toEqual(['RS256']);
    expect(pems[kid]).toMatch(/^-----BEGIN CERTIFICATE-----/);
    for (const key of [createPublicKey({ key: jwk, format: 'jwk' }), createPublicKey(pems[kid])]) {
      expect(verify('RSA-SHA256', Buffer.from(`${head}.${body}`), key, Buffer.from(sig, 'base64url'))).toBe(true);
    }
  });

  it('tokeninfo?id_token= answers the verified claims as strings; a tampered token is 400 invalid_token', async () => {
    const { tokens } = await tokensFor(emu, ['openid', 'email'], 'nonce-1');
    const jwt = tokens.id_token ?? '';
    const res = await fetch(`${emu.baseUrl}/tokeninfo?id_token=${jwt}`);
    expect(res.status).toBe(200);
    const info = (await res.json()) as AnyJson;
    const claims = claimsOf(jwt);
    expect(info).toMatchObject({
      iss: 'https://accounts.google.com',
      aud: CLIENT_ID,
      sub: claims.sub,
      email: 'alice@gmail.test',
      email_verified: 'true',
      nonce: 'nonce-1',
      iat: String(claims.iat),
      exp: String(claims.exp),
      alg: 'RS256',
      typ: 'JWT',
    });
    const [head, , sig] = jwt.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, email: 'mallory@gmail.test' })).toString('base64url');
    const bad = await fetch(`${emu.baseUrl}/tokeninfo?id_token=${head}.${forged}.${sig}`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as AnyJson).error).toBe('invalid_token');
  });

  it('a refresh of an openid grant answers a fresh id_token; a grant without openid gets none', async () => {
    const { client, tokens } = await tokensFor(emu, ['openid', 'email']);
    client.setCredentials({ refresh_token: tokens.refresh_token });
    const refreshed = await client.refreshAccessToken();
    const idToken = refreshed.credentials.id_token ?? '';
    expect(idToken).toBeTruthy();
    const ticket = await client.verifyIdToken({ idToken, audience: CLIENT_ID });
    expect(ticket.getPayload()?.email).toBe('alice@gmail.test');
    const plain = await tokensFor(emu, [GMAIL_MODIFY]);
    expect(plain.tokens.id_token ?? undefined).toBeUndefined();
  });
  it('times the token by the emulator clock: iat follows the clock and no nonce is set when none was asked', async () => {
    const before = Math.floor(Date.now() / 1000);
    await control(emu, 'POST', '/clock', { advanceMs: 2 * 3600_000 });
    const { tokens } = await tokensFor(emu, ['openid', 'email'], undefined, 'bob@gmail.test');
    const claims = claimsOf(tokens.id_token ?? '');
    expect(claims.iat).toBeGreaterThanOrEqual(before + 2 * 3600);
    expect(claims.exp).toBe(claims.iat + 3600);
    expect(claims.email).toBe('bob@gmail.test');
    expect(claims).not.toHaveProperty('nonce');
    // The subject is stable per user and differs between users.
    const alice = claimsOf((await tokensFor(emu, ['openid'])).tokens.id_token ?? '');
    const alice2 = claimsOf((await tokensFor(emu, ['openid'])).tokens.id_token ?? '');
    expect(alice.sub).toBe(alice2.sub);
    expect(alice.sub).not.toBe(claims.sub);
    // openid alone carries no email claims (those come with the email scope).
    expect(alice).not.toHaveProperty('email');
  });
});
