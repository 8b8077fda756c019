/**
 * Google OAuth 2.0 for installed apps: authorization (consent page or auto
 * consent), token (authorization_code + PKCE S256, refresh_token; an RS256
 * id_token when openid is asked), revoke, tokeninfo, the signing certificates,
 * and the bearer check every API route uses.
 */
import { createHash, randomBytes } from 'node:crypto';
import { JwtSigner, leftHalfHash } from '../kit/jwt.ts';
import type { EmulatorContext, EmulatorReply, EmulatorRequest, Route } from '../kit/types.ts';
import { insufficientScopes, invalidCredentials, oauthError } from './errors.ts';

interface Grant {
  email: string;
  scopes: string[];
  clientId: string;
}
interface Code extends Grant {
  redirectUri: string;
  challenge?: string;
  challengeMethod?: string;
  nonce?: string;
  expiresAt: number;
}
interface AccessToken extends Grant {
  expiresAt: number;
  refreshToken?: string;
}

export interface OAuthOptions {
  autoConsent: boolean;
  accessTokenLifetimeSec: number;
  /** When set, only these client ids are known (others get invalid_client). */
  clientIds?: string[];
}

export class GoogleOAuth {
  private codes = new Map<string, Code>();
  private access = new Map<string, AccessToken>();
  private refresh = new Map<string, Grant & { revoked: boolean }>();
  private ctx: EmulatorContext;
  options: OAuthOptions;
  private users: () => string[];
  private signer = new JwtSigner();

  constructor(ctx: EmulatorContext, options: OAuthOptions, users: () => string[]) {
    this.ctx = ctx;
    this.options = options;
    this.users = users;
  }

  /** Mints tokens directly (control API), as if the user had consented. */
  mint(email: string, scopes: string[], clientId = 'outpost-test.apps.googleusercontent.com') {
    return this.issue({ email, scopes, clientId }, true);
  }

  /** Checks the bearer token and that it carries one of the accepted scopes. */
  authorize(req: EmulatorRequest, accepted: string[], service: string, method: string): Grant {
    const header = req.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? req.url.searchParams.get('access_token') ?? '';
    const grant = this.access.get(token);
    if (!grant || grant.expiresAt <= this.ctx.now()) throw invalidCredentials();
    if (!grant.scopes.some((s) => accepted.includes(s))) throw insufficientScopes(service, method, accepted);
    return grant;
  }

  /** The user a request's bearer token belongs to, without refusing anything (undefined when none is valid). */
  userOf(req: EmulatorRequest): string | undefined {
    const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim() ?? '';
    const grant = this.access.get(token);
    return grant && grant.expiresAt > this.ctx.now() ? grant.email : undefined;
  }

  revokeUser(email: string): number {
    let n = 0;
    for (const v of this.refresh.values()) {
      if (v.email !== email || v.revoked) continue;
      v.revoked = true;
      n++;
    }
    for (const [k, v] of this.access) {
      if (v.email !== email) continue;
      this.access.delete(k);
      n++;
    }
    return n;
  }

  expireAccessTokens(): void {
    for (const t of this.access.values()) t.expiresAt = 0;
  }

  private issue(grant: Grant, withRefresh: boolean, existingRefresh?: string, nonce?: string) {
    const accessToken = `ya29.emu-${randomBytes(24).toString('base64url')}`;
    const refreshToken = withRefresh ? `1//emu-${randomBytes(24).toString('base64url')}` : existingRefresh;
    const expiresIn = this.options.accessTokenLifetimeSec;
    this.access.set(accessToken, { ...grant, expiresAt: this.ctx.now() + expiresIn * 1000, refreshToken });
    if (withRefresh && refreshToken) this.refresh.set(refreshToken, { ...grant, revoked: false });
    const body: Record<string, unknown> = {
      access_token: accessToken,
      expires_in: expiresIn,
      scope: grant.scopes.join(' '),
      token_type: 'Bearer',
    };
    if (withRefresh) body.refresh_token = refreshToken;
    if (grant.scopes.includes('openid')) body.id_token = this.idToken(grant, accessToken, nonce);
    return body;
  }

  /** Google's id_token (OpenID Connect): signed RS256, timed by the emulator's clock, email claims with an email scope. */
  private idToken(grant: Grant, accessToken: string, nonce: string | undefined): string {
    const iat = Math.floor(this.ctx.now() / 1000);
    const withEmail = grant.scopes.some((s) => s === 'email' || s === 'https://www.googleapis.com/auth/userinfo.email');
    return this.signer.sign({
      iss: GOOGLE_ISSUER,
      azp: grant.clientId,
      aud: grant.clientId,
      sub: googleSubject(grant.email),
      email: withEmail ? grant.email : undefined,
      email_verified: withEmail ? true : undefined,
      at_hash: leftHalfHash(accessToken),
      nonce,
      iat,
      exp: iat + 3600,
    });
  }

  private checkClient(clientId: string | null): string {
    if (!clientId || (this.options.clientIds && !this.options.clientIds.includes(clientId))) {
      throw oauthError(401, 'invalid_client', 'The OAuth client was not found.');
    }
    return clientId;
  }

  routes(): Route[] {
    return [
      {
        method: 'GET',
        path: '/o/oauth2/v2/auth',
        endpoint: 'oauth2.authorize',
        handler: (req) => this.authorizePage(req.url.searchParams),
      },
      {
        method: 'GET',
        path: '/o/oauth2/auth',
        endpoint: 'oauth2.authorize',
        handler: (req) => this.authorizePage(req.url.searchParams),
      },
      {
        method: 'POST',
        path: '/o/oauth2/v2/auth/approve',
        endpoint: 'oauth2.approve',
        handler: (req) => this.approve(new URLSearchParams(req.body.toString('utf8'))),
      },
      { method: 'POST', path: '/token', endpoint: 'oauth2.token', handler: (req) => this.token(req) },
      { method: 'POST', path: '/revoke', endpoint: 'oauth2.revoke', handler: (req) => this.revoke(req) },
      {
        method: 'GET',
        path: '/tokeninfo',
        endpoint: 'oauth2.tokeninfo',
        handler: (req) => {
          const idToken = req.url.searchParams.get('id_token');
          if (idToken !== null) return this.idTokenInfo(idToken);
          return this.tokenInfo(req.url.searchParams.get('access_token') ?? bearer(req) ?? '');
        },
      },
      {
        method: 'POST',
        path: '/tokeninfo',
        endpoint: 'oauth2.tokeninfo',
        // google-auth-library's getTokenInfo posts no body and sends the token as a bearer header.
        handler: (req) => this.tokenInfo(new URLSearchParams(req.body.toString()).get('access_token') ?? bearer(req) ?? ''),
      },
      {
        method: 'GET',
        path: '/oauth2/v3/userinfo',
        endpoint: 'oauth2.userinfo',
        handler: (req) => {
          const g = this.authorize(
            req,
            ['openid', 'email', 'https://www.googleapis.com/auth/userinfo.email'],
            'oauth2.googleapis.com',
            'userinfo',
          );
          return {
            status: 200,
            body: { sub: googleSubject(g.email), email: g.email, email_verified: true },
          };
        },
      },
      // The keys id_tokens are signed with: PEM certificates by kid (what google-auth-library fetches in Node) and the JWKS.
      {
        method: 'GET',
        path: '/oauth2/v1/certs',
        endpoint: 'oauth2.certs',
        handler: async () => ({
          status: 200,
          headers: { 'cache-control': CERTS_CACHE_CONTROL },
          body: { [this.signer.kid]: await this.signer.certificatePem('securetoken.system.gserviceaccount.com') },
        }),
      },
      {
        method: 'GET',
        path: '/oauth2/v3/certs',
        endpoint: 'oauth2.certs',
        handler: () => ({
          status: 200,
          headers: { 'cache-control': CERTS_CACHE_CONTROL },
          body: { keys: [{ ...this.signer.jwk(), alg: 'RS256' }] },
        }),
      },
      {
        method: 'GET',
        path: '/.well-known/openid-configuration',
        endpoint: 'oauth2.openidConfiguration',
        handler: () => ({ status: 200, body: this.openidConfiguration() }),
      },
    ];
  }

  private openidConfiguration(): Record<string, unknown> {
    const base = this.ctx.baseUrl;
    return {
      issuer: GOOGLE_ISSUER,
      authorization_endpoint: `${base}/o/oauth2/v2/auth`,
      token_endpoint: `${base}/token`,
      userinfo_endpoint: `${base}/oauth2/v3/userinfo`,
      revocation_endpoint: `${base}/revoke`,
      jwks_uri: `${base}/oauth2/v3/certs`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'profile'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      claims_supported: ['aud', 'email', 'email_verified', 'exp', 'iat', 'iss', 'sub', 'nonce', 'at_hash', 'azp'],
      code_challenge_methods_supported: ['plain', 'S256'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
    };
  }

  private authorizePage(q: URLSearchParams): EmulatorReply {
    const clientId = q.get('client_id');
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!clientId || (this.options.clientIds && !this.options.clientIds.includes(clientId))) {
      return {
        status: 401,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: '<h1>Error 401: invalid_client</h1><p>The OAuth client was not found.</p>',
      };
    }
    if (
      !/^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(redirectUri) &&
      !redirectUri.startsWith('com.') &&
      redirectUri !== 'urn:ietf:wg:oauth:2.0:oob'
    ) {
      return {
        status: 400,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: '<h1>Error 400: redirect_uri_mismatch</h1>',
      };
    }
    if (q.get('response_type') !== 'code') return this.redirectError(redirectUri, q.get('state'), 'unsupported_response_type');
    if (!q.get('scope')) return this.redirectError(redirectUri, q.get('state'), 'invalid_request');
    const method = q.get('code_challenge_method') ?? (q.get('code_challenge') ? 'plain' : undefined);
    if (method && method !== 'S256' && method !== 'plain')
      return this.redirectError(redirectUri, q.get('state'), 'invalid_request');
    if (this.options.autoConsent) return this.approve(q);
    const hidden = [...q.entries()].map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
    const login = q.get('login_hint') ?? this.users()[0] ?? '';
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>Sign in - Google Accounts (emulator)</title></head><body>
<h1>Outpost emulator wants to access your Google Account</h1><form method="post" action="/o/oauth2/v2/auth/approve">${hidden}
<label>Account <input name="login_hint" value="${esc(login)}"></label><p>Scopes: ${esc(q.get('scope') ?? '')}</p>
<button type="submit" name="consent" value="allow" id="submit_approve_access">Allow</button>
<button type="submit" name="consent" value="deny" id="submit_deny_access">Cancel</button></form></body></html>`;
    return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: html };
  }

  private redirectError(redirectUri: string, state: string | null, error: string): EmulatorReply {
    const url = new URL(redirectUri);
    url.searchParams.set('error', error);
    if (state) url.searchParams.set('state', state);
    return { status: 302, headers: { location: url.toString() } };
  }

  private approve(q: URLSearchParams): EmulatorReply {
    const redirectUri = q.get('redirect_uri') ?? '';
    if (q.get('consent') === 'deny') return this.redirectError(redirectUri, q.get('state'), 'access_denied');
    const email =
      q.get('login_hint') && this.users().includes(q.get('login_hint') as string)
        ? (q.get('login_hint') as string)
        : (this.users()[0] ?? 'user@gmail.test');
    const code = `4/emu-${randomBytes(24).toString('base64url')}`;
    this.codes.set(code, {
      email,
      scopes: (q.get('scope') ?? '').split(/\s+/).filter(Boolean),
      clientId: q.get('client_id') ?? '',
      redirectUri,
      challenge: q.get('code_challenge') ?? undefined,
      challengeMethod: q.get('code_challenge_method') ?? undefined,
      nonce: q.get('nonce') ?? undefined,
      expiresAt: this.ctx.now() + 10 * 60_000,
    });
    const url = new URL(redirectUri);
    url.searchParams.set('code', code);
    if (q.get('state')) url.searchParams.set('state', q.get('state') as string);
    url.searchParams.set('scope', q.get('scope') ?? '');
    return { status: 302, headers: { location: url.toString() } };
  }

  private token(req: EmulatorRequest): EmulatorReply {
    const type = req.headers['content-type'] ?? '';
    const form = type.includes('json')
      ? new URLSearchParams(JSON.parse(req.body.toString() || '{}') as Record<string, string>)
      : new URLSearchParams(req.body.toString('utf8'));
    let clientId = form.get('client_id');
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!clientId && basic) clientId = decodeURIComponent(Buffer.from(basic, 'base64').toString().split(':')[0] ?? '');
    const grantType = form.get('grant_type');
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      throw oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType ?? ''}`);
    }
    this.checkClient(clientId);
    if (grantType === 'authorization_code') {
      const code = this.codes.get(form.get('code') ?? '');
      if (!code || code.expiresAt <= this.ctx.now() || code.clientId !== clientId)
        throw oauthError(400, 'invalid_grant', 'Malformed auth code.');
      this.codes.delete(form.get('code') ?? '');
      if (code.redirectUri !== (form.get('redirect_uri') ?? '')) throw oauthError(400, 'redirect_uri_mismatch', 'Bad Request');
      if (code.challenge) {
        const verifier = form.get('code_verifier');
        if (!verifier) throw oauthError(400, 'invalid_grant', 'Missing code verifier.');
        const computed = code.challengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
        if (computed !== code.challenge) throw oauthError(400, 'invalid_grant', 'Invalid code verifier.');
      }
      return { status: 200, body: this.issue(code, true, undefined, code.nonce) };
    }
    const token = form.get('refresh_token') ?? '';
    const grant = this.refresh.get(token);
    if (!grant || grant.revoked) throw oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
    if (grant.clientId !== clientId) throw oauthError(401, 'unauthorized_client', 'Unauthorized');
    return { status: 200, body: this.issue(grant, false, token) };
  }

  private revoke(req: EmulatorRequest): EmulatorReply {
    const token = req.url.searchParams.get('token') ?? new URLSearchParams(req.body.toString('utf8')).get('token') ?? '';
    const refresh = this.refresh.get(token);
    const access = this.access.get(token);
    if (!refresh && !access) throw oauthError(400, 'invalid_token', 'Token expired or revoked');
    const refreshToken = refresh ? token : access?.refreshToken;
    if (refreshToken) {
      const r = this.refresh.get(refreshToken);
      if (r) r.revoked = true;
      for (const [k, v] of this.access) if (v.refreshToken === refreshToken) this.access.delete(k);
    }
    this.access.delete(token);
    return { status: 200, body: {} };
  }

  /** Google's tokeninfo for an id_token: the verified claims, every value as a string, with the header's alg, kid, typ. */
  private idTokenInfo(jwt: string): EmulatorReply {
    const token = this.signer.verify(jwt);
    const exp = Number(token?.claims.exp);
    if (!token || !(exp * 1000 > this.ctx.now())) throw oauthError(400, 'invalid_token', 'Invalid Value');
    const fields = { ...token.claims, alg: token.header.alg, kid: token.header.kid, typ: token.header.typ };
    return { status: 200, body: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])) };
  }

  private tokenInfo(token: string): EmulatorReply {
    const grant = this.access.get(token);
    if (!grant || grant.expiresAt <= this.ctx.now()) throw oauthError(400, 'invalid_token', 'Invalid Value');
    const expiresIn = Math.floor((grant.expiresAt - this.ctx.now()) / 1000);
    return {
      status: 200,
      body: {
        azp: grant.clientId,
        aud: grant.clientId,
        scope: grant.scopes.join(' '),
        exp: String(Math.floor(grant.expiresAt / 1000)),
        expires_in: String(expiresIn),
        email: grant.email,
        email_verified: 'true',
        access_type: 'offline',
      },
    };
  }
}

/** Google's id_tokens name this issuer (google-auth-library accepts it and "accounts.google.com"). */
const GOOGLE_ISSUER = 'https://accounts.google.com';
const CERTS_CACHE_CONTROL = 'public, max-age=21600, must-revalidate, no-transform';

/** A Google account's stable subject: 21 decimal digits, derived from the address. */
function googleSubject(email: string): string {
  const n = BigInt(`0x${createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 24)}`) % 10n ** 20n;
  return `1${n.toString().padStart(20, '0')}`;
}

function bearer(req: EmulatorRequest): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
