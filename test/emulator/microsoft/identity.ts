import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { JwtSigner } from '../kit/jwt.ts';
import type { EmulatorContext, EmulatorReply, EmulatorRequest, Route } from '../kit/types.ts';
import { HttpError } from '../kit/types.ts';
import { aadError } from './errors.ts';
import type { Mailbox } from './mailbox.ts';

/** A fixed tenant GUID for the emulated organization "contoso.test". */
export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

interface Grant {
  upn: string;
  clientId: string;
  scopes: string[];
  /** What the user consented to at sign-in (default: scopes); a refresh may ask for no more. */
  consented?: string[];
}
interface PendingCode extends Grant {
  redirectUri: string;
  challenge?: string;
  method?: string;
  nonce?: string;
  expires: number;
}
export interface AccessGrant extends Grant {
  expires: number;
}

export interface IdentityOptions {
  autoConsent: boolean;
  accessTokenLifetimeSec: number;
}

/** Identity platform v2.0: OpenID configuration, authorize (consent page), token (code+PKCE, refresh with rotation). */
export class IdentityPlatform {
  private codes = new Map<string, PendingCode>();
  /** Codes already presented to the token endpoint: a second use is AADSTS54005, not "expired". */
  private redeemed = new Set<string>();
  private refresh = new Map<string, Grant & { revoked: boolean; issuedAt: number; revokedAt?: number }>();
  readonly access = new Map<string, AccessGrant>();
  private signer = new JwtSigner();
  private ctx: EmulatorContext;
  private users: () => Mailbox[];
  options: IdentityOptions;

  constructor(ctx: EmulatorContext, users: () => Mailbox[], options: IdentityOptions) {
    this.ctx = ctx;
    this.users = users;
    this.options = options;
  }

  routes(): Route[] {
    return [
      {
        method: 'GET',
        path: '/:tenant/v2.0/.well-known/openid-configuration',
        endpoint: 'identity.openidConfiguration',
        handler: (r) => this.openidConfiguration(r),
      },
      {
        method: 'GET',
        path: '/:tenant/discovery/v2.0/keys',
        endpoint: 'identity.keys',
        handler: () => ({ status: 200, body: { keys: [this.signer.jwk()] } }),
      },
      {
        method: 'GET',
        path: '/common/discovery/instance',
        endpoint: 'identity.instanceDiscovery',
        handler: (r) => this.instanceDiscovery(r),
      },
      {
        method: 'GET',
        path: '/:tenant/oauth2/v2.0/authorize',
        endpoint: 'identity.authorize',
        handler: (r) => this.authorize(r, r.url.searchParams),
      },
      {
        method: 'POST',
        path: '/:tenant/oauth2/v2.0/authorize',
        endpoint: 'identity.authorize',
        handler: (r) => this.authorize(r, new URLSearchParams(r.body.toString('utf8'))),
      },
      { method: 'POST', path: '/:tenant/oauth2/v2.0/token', endpoint: 'identity.token', handler: (r) => this.token(r) },
    ];
  }

  private openidConfiguration(req: EmulatorRequest): EmulatorReply {
    const t = req.params.tenant!;
    const base = `${this.ctx.baseUrl}/${t}`;
    const specific = !['common', 'organizations', 'consumers'].includes(t);
    return {
      status: 200,
      body: {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        // As the real service: multi-tenant authorities publish a "{tenantid}" template issuer.
        issuer: `${this.ctx.baseUrl}/${specific ? t : '{tenantid}'}/v2.0`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: `${this.ctx.baseUrl}/oidc/userinfo`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        claims_supported: [
          'sub',
          'iss',
          'aud',
          'exp',
          'iat',
          'auth_time',
          'acr',
          'nonce',
          'preferred_username',
          'name',
          'tid',
          'ver',
          'at_hash',
          'c_hash',
          'email',
        ],
        kerberos_endpoint: `${base}/kerberos`,
        tenant_region_scope: 'EU',
        cloud_instance_name: new URL(this.ctx.baseUrl).host,
        cloud_graph_host_name: new URL(this.ctx.baseUrl).host,
        msgraph_host: new URL(this.ctx.baseUrl).host,
      },
    };
  }

  private instanceDiscovery(req: EmulatorRequest): EmulatorReply {
    const host = new URL(this.ctx.baseUrl).host;
    const authority = req.url.searchParams.get('authorization_endpoint') ?? `${this.ctx.baseUrl}/common/oauth2/v2.0/authorize`;
    return {
      status: 200,
      body: {
        tenant_discovery_endpoint: authority.replace(/oauth2\/v2\.0\/authorize$/, 'v2.0/.well-known/openid-configuration'),
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      },
    };
  }

  private userFor(hint: string | null): Mailbox {
    const all = this.users();
    const found = hint ? all.find((u) => u.upn.toLowerCase() === hint.toLowerCase()) : undefined;
    if (found) return found;
    if (!all[0]) throw aadError(400, 'invalid_request', 50034, 'The user account does not exist in this directory.');
    return all[0];
  }

  private authorize(req: EmulatorRequest, p: URLSearchParams): EmulatorReply {
    const clientId = p.get('client_id');
    const redirectUri = p.get('redirect_uri');
    if (!clientId) return htmlError(400, 900144, "The request body must contain the following parameter: 'client_id'.");
    if (!redirectUri) return htmlError(400, 900144, "The request body must contain the following parameter: 'redirect_uri'.");
    if (p.get('response_type') !== 'code')
      return htmlError(400, 9002325, 'Only response_type=code is supported by the authorization code flow.');
    const user = this.userFor(p.get('login_hint'));
    if (p.get('consent') === 'cancel') {
      // The user pressed Cancel: the identity platform answers the redirect URI with access_denied.
      return answer(
        redirectUri,
        p,
        new URLSearchParams({
          error: 'access_denied',
          error_subcode: 'cancel',
          error_description: 'AADSTS65004: User declined to consent to access the app.',
        }),
      );
    }
    const accepted = p.get('consent') === 'accept' || this.options.autoConsent;
    if (!accepted) return consentPage(req.url.pathname, p, user.upn);
    const code = `1.A${randomBytes(48).toString('base64url')}`;
    this.codes.set(code, {
      upn: user.upn,
      clientId,
      redirectUri,
      scopes: splitScopes(p.get('scope') ?? ''),
      challenge: p.get('code_challenge') ?? undefined,
      method: p.get('code_challenge_method') ?? undefined,
      nonce: p.get('nonce') ?? undefined,
      expires: this.ctx.now() + 10 * 60_000,
    });
    return answer(redirectUri, p, new URLSearchParams({ code, session_state: randomUUID() }));
  }

  private token(req: EmulatorRequest): EmulatorReply {
    const p = new URLSearchParams(req.body.toString('utf8'));
    const clientId = p.get('client_id');
    if (!clientId)
      throw aadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
    const grantType = p.get('grant_type');
    if (!grantType) throw missingParameter('grant_type');
    if (grantType === 'authorization_code') {
      const presented = p.get('code');
      if (!presented) throw missingParameter('code');
      if (this.redeemed.has(presented))
        throw aadError(
          400,
          'invalid_grant',
          54005,
          'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
        );
      const code = this.codes.get(presented);
      if (code) this.redeemed.add(presented);
      if (!code || code.expires < this.ctx.now())
        throw aadError(
          400,
          'invalid_grant',
          70008,
          'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
        );
      this.codes.delete(p.get('code')!);
      if (code.clientId !== clientId) throw aadError(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.');
      if (code.redirectUri !== p.get('redirect_uri'))
        throw aadError(
          400,
          'invalid_grant',
          50148,
          'The redirect_uri specified in the token request does not match the redirect_uri used in the authorization request.',
        );
      if (code.challenge) {
        const verifier = p.get('code_verifier') ?? '';
        const computed = code.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
        if (computed !== code.challenge)
          throw aadError(
            400,
            'invalid_grant',
            501481,
            'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
          );
      }
      return { status: 200, headers: { 'cache-control': 'no-store' }, body: this.issue(code, code.nonce) };
    }
    if (grantType === 'refresh_token') {
      const token = p.get('refresh_token');
      if (!token) throw missingParameter('refresh_token');
      const grant = this.refresh.get(token);
      if (!grant) throw aadError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
      if (grant.revoked)
        throw aadError(
          400,
          'invalid_grant',
          50173,
          `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${isoSeconds(grant.issuedAt)}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${isoSeconds(grant.revokedAt ?? this.ctx.now())}'.`,
        );
      if (grant.clientId !== clientId) throw aadError(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.');
      // Rotation: the old refresh token stays usable (as Microsoft's do), a new one is returned.
      const asked = splitScopes(p.get('scope') ?? '');
      // Consent is the user's, not the token's: a refresh may narrow the scopes, never go past what was consented.
      const consented = grant.consented ?? grant.scopes;
      const agreed = new Set(consented.map(bareScope));
      const beyond = asked.map(bareScope).filter((s) => !OIDC_SCOPES.includes(s) && !agreed.has(s));
      if (beyond.length)
        throw aadError(
          400,
          'invalid_grant',
          65001,
          `The user or administrator has not consented to use the application with ID '${clientId}'. Send an interactive authorization request for this user and resource.`,
        );
      return {
        status: 200,
        headers: { 'cache-control': 'no-store' },
        body: this.issue({ ...grant, scopes: asked.length ? asked : grant.scopes, consented }, undefined),
      };
    }
    throw aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType ?? ''}'.`);
  }

  private issue(grant: Grant, nonce: string | undefined): Record<string, unknown> {
    const user = this.userFor(grant.upn);
    const now = Math.floor(this.ctx.now() / 1000);
    const life = this.options.accessTokenLifetimeSec;
    const accessToken = `EwB${randomBytes(90).toString('base64url')}`;
    const resourceScopes = grant.scopes.filter((s) => !['openid', 'profile', 'offline_access', 'email'].includes(s));
    const scopes = resourceScopes.length ? resourceScopes : ['https://graph.microsoft.com/User.Read'];
    this.access.set(accessToken, { ...grant, scopes, expires: (now + life) * 1000 });
    const body: Record<string, unknown> = {
      token_type: 'Bearer',
      scope:
        scopes.map((s) => s.replace(/^https:\/\/graph\.microsoft\.com\//, '')).join(' ') +
        (grant.scopes.includes('offline_access') ? '' : ''),
      expires_in: life,
      ext_expires_in: life,
      access_token: accessToken,
      client_info: Buffer.from(JSON.stringify({ uid: user.userId, utid: TENANT_ID })).toString('base64url'),
    };
    if (grant.scopes.includes('offline_access')) {
      const rt = `M.C${randomBytes(64).toString('base64url')}`;
      this.refresh.set(rt, {
        upn: grant.upn,
        clientId: grant.clientId,
        scopes: grant.scopes,
        consented: grant.consented ?? grant.scopes,
        revoked: false,
        issuedAt: this.ctx.now(),
      });
      body.refresh_token = rt;
    }
    if (grant.scopes.includes('openid')) {
      body.id_token = this.signer.sign({
        aud: grant.clientId,
        iss: `${this.ctx.baseUrl}/${TENANT_ID}/v2.0`,
        iat: now,
        nbf: now,
        exp: now + 3600,
        name: user.displayName,
        nonce,
        oid: user.userId,
        preferred_username: user.upn,
        email: user.upn,
        sub: createHash('sha256').update(`${user.userId}:${grant.clientId}`).digest('base64url').slice(0, 43),
        tid: TENANT_ID,
        uti: randomBytes(16).toString('base64url'),
        ver: '2.0',
      });
    }
    return body;
  }

  /** Control: revoke every refresh token of a user (as "revoke sessions" in Entra does). */
  revokeRefreshTokens(upn: string): number {
    let n = 0;
    for (const g of this.refresh.values())
      if (g.upn.toLowerCase() === upn.toLowerCase() && !g.revoked) {
        g.revoked = true;
        g.revokedAt = this.ctx.now();
        n++;
      }
    return n;
  }

  /** Resolves a bearer token for Graph; throws Graph's 401 otherwise. */
  authenticate(authorization: string | undefined): AccessGrant {
    const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw unauthorized('Access token is empty.');
    const grant = this.access.get(token);
    if (!grant) throw unauthorized('IDX14100: JWT is not well formed, there are no dots (.).');
    if (grant.expires < this.ctx.now()) throw unauthorized('Lifetime validation failed, the token is expired.');
    return grant;
  }
}

function unauthorized(message: string): HttpError {
  const id = randomUUID();
  return new HttpError({
    status: 401,
    headers: {
      'www-authenticate':
        'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
      'request-id': id,
    },
    body: {
      error: {
        code: 'InvalidAuthenticationToken',
        message,
        innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': id, 'client-request-id': id },
      },
    },
  });
}

function missingParameter(name: string): HttpError {
  return aadError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`);
}

const isoSeconds = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** Sends an authorization answer (code or error) back the way the request asked: query, fragment or form_post. */
function answer(redirectUri: string, p: URLSearchParams, fields: URLSearchParams): EmulatorReply {
  const state = p.get('state');
  if (state) fields.set('state', state);
  if (p.get('response_mode') === 'form_post') return formPost(redirectUri, fields);
  const target = new URL(redirectUri);
  if (p.get('response_mode') === 'fragment') target.hash = fields.toString();
  else for (const [k, v] of fields) target.searchParams.set(k, v);
  return { status: 302, headers: { location: target.toString() }, body: '' };
}

const OIDC_SCOPES = ['openid', 'profile', 'offline_access', 'email'];
const bareScope = (s: string) => s.replace(/^https:\/\/graph\.microsoft\.com\//, '');

function splitScopes(s: string): string[] {
  return s.split(/\s+/).filter(Boolean);
}

function htmlError(status: number, code: number, message: string): EmulatorReply {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html><title>Sign in</title><p>AADSTS${code}: ${escapeHtml(message)}</p>`,
  };
}

function consentPage(path: string, p: URLSearchParams, upn: string): EmulatorReply {
  const hidden = [...p].map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
  const scopes = splitScopes(p.get('scope') ?? '')
    .map((s) => `<li>${escapeHtml(s)}</li>`)
    .join('');
  return {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html><title>Permissions requested</title><h1>Permissions requested</h1><p>${escapeHtml(upn)}</p><ul>${scopes}</ul><form method="post" action="${escapeHtml(path)}">${hidden}<button name="consent" value="cancel">Cancel</button> <button name="consent" value="accept">Accept</button></form>`,
  };
}

/** response_mode=form_post: the auto-submitting form the identity platform answers with (msal-node's loopback requires it). */
function formPost(action: string, fields: URLSearchParams): EmulatorReply {
  const inputs = [...fields].map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
  return {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html><html><head><title>Working...</title></head><body onload="document.forms[0].submit()"><form method="POST" name="hiddenform" action="${escapeHtml(action)}">${inputs}<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit"></noscript></form></body></html>`,
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
