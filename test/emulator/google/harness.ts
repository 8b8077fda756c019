/** Test harness: an emulator on a random port plus real Google clients pointed at it. */

import { calendar } from '@googleapis/calendar';
import { gmail } from '@googleapis/gmail';
import { OAuth2Client } from 'google-auth-library';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../index.ts';

export const CLIENT_ID = 'outpost-test.apps.googleusercontent.com';
export const REDIRECT_URI = 'http://127.0.0.1:53682/oauth2callback';
export const GMAIL_MODIFY = 'https://www.googleapis.com/auth/gmail.modify';
export const CALENDAR = 'https://www.googleapis.com/auth/calendar';

/** The exact options the product should use to reach the emulator instead of Google. */
export function oauthClient(emu: RunningEmulator): OAuth2Client {
  return new OAuth2Client({
    clientId: CLIENT_ID,
    redirectUri: REDIRECT_URI,
    endpoints: {
      oauth2AuthBaseUrl: `${emu.baseUrl}/o/oauth2/v2/auth`,
      oauth2TokenUrl: `${emu.baseUrl}/token`,
      oauth2RevokeUrl: `${emu.baseUrl}/revoke`,
      tokenInfoUrl: `${emu.baseUrl}/tokeninfo`,
      oauth2FederatedSignonPemCertsUrl: `${emu.baseUrl}/oauth2/v1/certs`,
      oauth2FederatedSignonJwkCertsUrl: `${emu.baseUrl}/oauth2/v3/certs`,
    },
  });
}

/** Runs the installed-app flow with PKCE against the emulator's auto-consent. */
export async function signIn(emu: RunningEmulator, scopes: string[], loginHint = 'alice@gmail.test'): Promise<OAuth2Client> {
  const client = oauthClient(emu);
  const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
  const url = client.generateAuthUrl({
    access_type: 'offline',
    scope: scopes,
    state: 'st-1',
    code_challenge: codeChallenge,
    code_challenge_method: 'S256' as never,
    login_hint: loginHint,
  });
  const res = await fetch(url, { redirect: 'manual' });
  const location = new URL(res.headers.get('location') ?? '');
  const code = location.searchParams.get('code');
  if (!code || location.searchParams.get('state') !== 'st-1') throw new Error(`no code in ${location}`);
  const { tokens } = await client.getToken({ code, codeVerifier });
  client.setCredentials(tokens);
  return client;
}

export function gmailFor(emu: RunningEmulator, auth: OAuth2Client) {
  return gmail({ version: 'v1', auth, rootUrl: `${emu.baseUrl}/` });
}

export function calendarFor(emu: RunningEmulator, auth: OAuth2Client) {
  return calendar({ version: 'v3', auth, rootUrl: `${emu.baseUrl}/` });
}

export function start(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ seed: { kind: 'corpus' }, autoConsent: true, ...options });
}

// biome-ignore lint/suspicious/noExplicitAny: assertions read JSON bodies of many shapes
export type AnyJson = any;

export async function control(emu: RunningEmulator, method: string, path: string, body?: unknown): Promise<AnyJson> {
  const res = await fetch(`${emu.controlUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`control ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Status and Google error body of a rejected googleapis call. */
export async function failure(p: Promise<unknown>): Promise<{ status: number; error: AnyJson }> {
  try {
    await p;
  } catch (err) {
    const e = err as { status?: number; response?: { status: number; data: AnyJson } };
    return { status: e.response?.status ?? e.status ?? 0, error: e.response?.data?.error ?? e.response?.data };
  }
  throw new Error('expected the call to fail');
}
