import { PublicClientApplication } from '@azure/msal-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../index.ts';

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const SCOPES = [
  'https://graph.microsoft.com/Mail.ReadWrite',
  'https://graph.microsoft.com/Mail.Send',
  'https://graph.microsoft.com/Calendars.Read',
  'https://graph.microsoft.com/User.Read',
];

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: { kind: 'empty' }, autoConsent: true });
});
afterAll(() => emu?.stop());

function pca() {
  const host = new URL(emu.baseUrl).host;
  return new PublicClientApplication({
    auth: { clientId: CLIENT_ID, authority: `${emu.baseUrl}/common`, knownAuthorities: [host] },
  });
}

/** msal-node's interactive loopback flow for SCOPES, the consent page answered by openBrowser. */
function signInInteractively(app: PublicClientApplication) {
  return app.acquireTokenInteractive({ scopes: SCOPES, openBrowser, successTemplate: 'ok', errorTemplate: 'error' });
}

/** The browser: auto-consent answers with a form_post page; submit it to msal-node's loopback listener. */
async function openBrowser(url: string): Promise<void> {
  const html = await (await fetch(url)).text();
  const action = /action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no form_post page: ${html.slice(0, 200)}`);
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields.set(
      m[1]!,
      m[2]!.replace(/&#(\d+);/g, (_x, n: string) => String.fromCharCode(Number(n))),
    );
  await fetch(
    action.replace(/&#(\d+);/g, (_x, n: string) => String.fromCharCode(Number(n))),
    { method: 'POST', body: fields },
  );
}

describe('identity platform with msal-node', () => {
  it('serves the OpenID configuration per tenant', async () => {
    const res = await fetch(`${emu.baseUrl}/organizations/v2.0/.well-known/openid-configuration`);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.token_endpoint).toBe(`${emu.baseUrl}/organizations/oauth2/v2.0/token`);
    expect(body.issuer).toBe(`${emu.baseUrl}/{tenantid}/v2.0`);
  });

  it('interactive loopback flow with PKCE, silent refresh, revoked refresh token -> invalid_grant', async () => {
    const app = pca();
    const result = await signInInteractively(app);
    expect(result.account?.username).toBe('bob@contoso.test');
    expect(result.idTokenClaims).toMatchObject({ preferred_username: 'bob@contoso.test', aud: CLIENT_ID });
    const me = await fetch(`${emu.baseUrl}/v1.0/me`, { headers: { authorization: `Bearer ${result.accessToken}` } });
    expect(((await me.json()) as { userPrincipalName: string }).userPrincipalName).toBe('bob@contoso.test');

    const silent = await app.acquireTokenSilent({ account: result.account!, scopes: SCOPES, forceRefresh: true });
    expect(silent.accessToken).not.toBe(result.accessToken);

    const revoke = await fetch(`${emu.controlUrl}/microsoft/revoke`, {
      method: 'POST',
      body: JSON.stringify({ user: 'bob@contoso.test' }),
    });
    expect(revoke.status).toBe(200);
    const err = await app
      .acquireTokenSilent({ account: result.account!, scopes: SCOPES, forceRefresh: true })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ errorCode: 'invalid_grant' });
    expect(String((err as Error).message)).toContain('AADSTS50173');
  });

  it('a refresh may narrow the consented scopes, but not go past them: AADSTS65001 invalid_grant', async () => {
    const app = pca();
    const result = await signInInteractively(app);
    const narrower = SCOPES.filter((s) => !s.endsWith('/Mail.Send'));
    expect(
      (await app.acquireTokenSilent({ account: result.account!, scopes: narrower, forceRefresh: true })).accessToken,
    ).toBeTruthy();
    // Back to everything consented, after the narrower refresh: consent is the user's, not the last token's.
    expect(
      (await app.acquireTokenSilent({ account: result.account!, scopes: SCOPES, forceRefresh: true })).accessToken,
    ).toBeTruthy();
    const err = await app
      .acquireTokenSilent({
        account: result.account!,
        scopes: [...SCOPES, 'https://graph.microsoft.com/Calendars.ReadWrite'],
        forceRefresh: true,
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ errorCode: 'invalid_grant' });
    expect(String((err as Error).message)).toContain('AADSTS65001');
  });

  it('rejects a wrong PKCE verifier and an unknown grant in the identity platform shape', async () => {
    const auth = new URL(`${emu.baseUrl}/common/oauth2/v2.0/authorize`);
    auth.search = new URLSearchParams({
      client_id: CLIENT_ID,
      response_type: 'code',
      redirect_uri: 'http://localhost:1/cb',
      scope: 'openid offline_access User.Read',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      state: 's1',
    }).toString();
    const res = await fetch(auth, { redirect: 'manual' });
    const loc = new URL(res.headers.get('location')!);
    expect(loc.searchParams.get('state')).toBe('s1');
    const token = await fetch(`${emu.baseUrl}/common/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: CLIENT_ID,
        grant_type: 'authorization_code',
        code: loc.searchParams.get('code')!,
        redirect_uri: 'http://localhost:1/cb',
        code_verifier: 'wrong',
      }),
    });
    expect(token.status).toBe(400);
    const body = (await token.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ error: 'invalid_grant', error_codes: [501481] });
    expect(body.trace_id).toBeTruthy();
    const reused = await fetch(`${emu.baseUrl}/common/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: CLIENT_ID,
        grant_type: 'authorization_code',
        code: loc.searchParams.get('code')!,
        redirect_uri: 'http://localhost:1/cb',
      }),
    });
    expect((await reused.json()) as object).toMatchObject({ error: 'invalid_grant', error_codes: [54005] });
  });

  it('shows a consent page with an Accept button when auto-consent is off', async () => {
    const manual = await startEmulator({ seed: { kind: 'empty' }, autoConsent: false });
    try {
      const url = `${manual.baseUrl}/common/oauth2/v2.0/authorize?client_id=${CLIENT_ID}&response_type=code&redirect_uri=http://localhost:1/cb&scope=User.Read`;
      const page = await (await fetch(url)).text();
      expect(page).toContain('Accept');
      const accept = await fetch(`${manual.baseUrl}/common/oauth2/v2.0/authorize`, {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams({
          client_id: CLIENT_ID,
          response_type: 'code',
          redirect_uri: 'http://localhost:1/cb',
          scope: 'User.Read',
          consent: 'accept',
        }),
      });
      expect(accept.status).toBe(302);
      expect(accept.headers.get('location')).toMatch(/^http:\/\/localhost:1\/cb\?code=/);
    } finally {
      await manual.stop();
    }
  });
});
