import type { EmulatorContext, EmulatorRequest, Route, RouteHandler } from '../kit/types.ts';
import type { Calendars } from './calendarStore.ts';
import { graphError } from './errors.ts';
import type { ExchangeLimits } from './exchangeLimits.ts';
import type { IdentityPlatform } from './identity.ts';
import type { Mailbox } from './mailbox.ts';

export interface GraphUser {
  mailbox: Mailbox;
  calendars: Calendars;
}

/** What every Graph handler needs: the caller's user, the clock, throttling. */
export interface GraphEnv {
  ctx: EmulatorContext;
  identity: IdentityPlatform;
  users: Map<string, GraphUser>;
  /** Requests per second per client app before 429 ApplicationThrottled; 0 = unlimited. */
  rateLimitPerSec: number;
  /** Exchange's per app and mailbox limits: requests per window, requests in flight. */
  limits: ExchangeLimits;
}

export type GraphHandler = (req: EmulatorRequest, user: GraphUser) => ReturnType<RouteHandler>;

const windows = new WeakMap<GraphEnv, Map<string, { second: number; count: number }>>();

/** Expands one Graph route under /v1.0/me and /v1.0/users/{id|upn}, with auth, per-app throttling and Exchange's mailbox limits. */
export function graphRoutes(
  env: GraphEnv,
  method: Route['method'],
  path: string,
  endpoint: string,
  handler: GraphHandler,
): Route[] {
  const wrap =
    (fromParams: boolean): RouteHandler =>
    (req) => {
      const grant = env.identity.authenticate(req.headers.authorization);
      requireScope(grant.scopes, endpoint, method);
      throttle(env, grant.clientId);
      const key = fromParams ? decodeURIComponent(req.params.user!) : grant.upn;
      const user = findUser(env, key);
      if (!user) throw graphError(404, 'ErrorInvalidUser', `The requested user '${key}' is invalid.`);
      if (fromParams && user.mailbox.upn !== grant.upn)
        throw graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
      return env.limits.admit(grant.clientId, user.mailbox.upn, () => handler(req, user));
    };
  return [
    { method, path: `/v1.0/me${path}`, endpoint, handler: wrap(false) },
    { method, path: `/v1.0/users/:user${path}`, endpoint, handler: wrap(true) },
  ];
}

/** Delegated permissions each endpoint needs (any one of them), as listed in Graph's permission tables. */
function neededScopes(endpoint: string, method: string): string[] | undefined {
  const read = method === 'GET';
  if (endpoint === 'graph.sendMail' || /\.(reply|replyAll|send)$/.test(endpoint)) return ['Mail.Send'];
  if (
    endpoint.startsWith('graph.messages') ||
    endpoint.startsWith('graph.mailFolders') ||
    endpoint.startsWith('graph.attachments')
  ) {
    return read ? ['Mail.Read', 'Mail.ReadWrite', 'Mail.ReadBasic'] : ['Mail.ReadWrite'];
  }
  if (endpoint.startsWith('graph.masterCategories'))
    return read ? ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'] : ['MailboxSettings.ReadWrite'];
  if (endpoint.startsWith('graph.calendar') || endpoint.startsWith('graph.events'))
    return read ? ['Calendars.Read', 'Calendars.ReadWrite'] : ['Calendars.ReadWrite'];
  return undefined;
}

function requireScope(granted: string[], endpoint: string, method: string): void {
  const needed = neededScopes(endpoint, method);
  if (!needed) return;
  const have = new Set(granted.map((s) => s.replace(/^https:\/\/graph\.microsoft\.com\//i, '')));
  if (!needed.some((n) => have.has(n)))
    throw graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
}

function findUser(env: GraphEnv, key: string): GraphUser | undefined {
  const lower = key.toLowerCase();
  for (const u of env.users.values()) if (u.mailbox.upn.toLowerCase() === lower || u.mailbox.userId === lower) return u;
  return undefined;
}

function throttle(env: GraphEnv, clientId: string): void {
  if (!env.rateLimitPerSec) return;
  let w = windows.get(env);
  if (!w) {
    w = new Map();
    windows.set(env, w);
  }
  const second = Math.floor(env.ctx.now() / 1000);
  const slot = w.get(clientId);
  if (!slot || slot.second !== second) {
    w.set(clientId, { second, count: 1 });
    return;
  }
  slot.count++;
  if (slot.count > env.rateLimitPerSec) {
    throw graphError(429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', { 'retry-after': '1' });
  }
}

export function selectParam(req: EmulatorRequest): string[] | undefined {
  const s = req.url.searchParams.get('$select');
  return s
    ? s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : undefined;
}

/** Prefer: odata.maxpagesize=N (clamped as Graph does), with the Preference-Applied echo. */
export function maxPageSize(req: EmulatorRequest, fallback: number): { size: number; applied?: string } {
  const m = /odata\.maxpagesize=(\d+)/i.exec(req.headers.prefer ?? '');
  if (!m) return { size: fallback };
  const size = Math.max(1, Math.min(1000, Number(m[1])));
  return { size, applied: `odata.maxpagesize=${size}` };
}

export function encodeToken(obj: object): string {
  return Buffer.from(JSON.stringify(obj)).toString('base64url');
}

export function decodeToken<T>(token: string): T {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as T;
  } catch {
    throw graphError(400, 'BadRequest', 'The delta or skip token is malformed.');
  }
}
