import { PublicClientApplication } from '@azure/msal-node';

export const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
export const SCOPES = [
  'https://graph.microsoft.com/Mail.ReadWrite',
  'https://graph.microsoft.com/Mail.Send',
  'https://graph.microsoft.com/Calendars.ReadWrite',
  'https://graph.microsoft.com/User.Read',
];

/** The browser: auto-consent answers with a form_post page; submit it to msal-node's loopback listener. */
export async function openBrowser(url: string): Promise<void> {
  const html = await (await fetch(url)).text();
  const decodeEntities = (s: string) => s.replace(/&#(\d+);/g, (_x, n: string) => String.fromCharCode(Number(n)));
  const action = /action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no form_post page: ${html.slice(0, 200)}`);
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields.set(m[1]!, decodeEntities(m[2]!));
  await fetch(decodeEntities(action), { method: 'POST', body: fields });
}

/** Signs in with msal-node's interactive loopback flow (as the product does) and returns a Graph access token. */
export async function signIn(baseUrl: string, loginHint?: string, scopes: string[] = SCOPES): Promise<string> {
  const app = new PublicClientApplication({
    auth: { clientId: CLIENT_ID, authority: `${baseUrl}/common`, knownAuthorities: [new URL(baseUrl).host] },
  });
  const r = await app.acquireTokenInteractive({
    scopes,
    openBrowser,
    loginHint,
    successTemplate: 'ok',
    errorTemplate: 'error',
  });
  return r.accessToken;
}
