import type { FastifyRequest, RouteOptions } from 'fastify';
import type { Scope } from '../../../shared/api/keys.ts';
import type { WritableDb } from '../../db/handles.ts';
import type { IdempotentRoute } from '../idempotency.ts';
import { authenticate, type Principal, refuseCrossOriginSession, requireScope } from './authenticate.ts';

/**
 * Who may call a route, declared with the route (`config: { auth }`):
 * - `{ scope }`: a key or session with that scope (or admin);
 * - `'admin'`: an admin key or admin session;
 * - `'any'`: any authenticated caller, the handler deciding per item from
 *   `request.principal` (the event stream filters events, a job is read with
 *   its kind's scope);
 * - `'public'`: no credentials (health, the OpenAPI document, the UI's files).
 */
export type RouteAuth = { scope: Scope } | 'admin' | 'any' | 'public';

/** A registered route and the authorization it declared (the scope-matrix test walks these). */
export interface DeclaredRoute {
  method: string;
  url: string;
  auth: RouteAuth;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every route: buildApiServer refuses to start with a route that does not declare it. */
    auth: RouteAuth;
    /** The X-RateLimit-* family this route reports (and consumes): the on-demand sync cap or the send cap. */
    rateLimit?: 'sync' | 'send';
    /** Takes an Idempotency-Key (main/api/idempotency.ts), with what the route adds to the generic rules. */
    idempotent?: boolean | IdempotentRoute;
  }
  interface FastifyInstance {
    /** Every route registered, with its declared auth (recorded by the onRoute hook). */
    declaredRoutes: readonly DeclaredRoute[];
  }
  interface FastifyRequest {
    /** Who is calling, set once before validation; null on public routes. */
    principal: Principal | null;
  }
}

/** The onRoute hook: records each route's declared auth, and throws (so the server does not start) for a route without one. */
export function declaredRouteRecorder(routes: DeclaredRoute[]): (route: RouteOptions) => void {
  return (route) => {
    const auth = (route.config as { auth?: RouteAuth } | undefined)?.auth;
    const methods = [route.method].flat();
    if (!isRouteAuth(auth))
      throw new Error(`${methods.join(',')} ${route.url} declares no config.auth ({ scope }, 'admin', 'any' or 'public')`);
    for (const method of methods) routes.push({ method, url: route.url, auth });
  };
}

/**
 * The onRequest check of routes that take credentials: a session or the
 * session cookie sent from another origin is refused before anything else
 * (its body is not even read). Public routes and unknown paths take none.
 */
export function refuseCrossOriginCredentials(request: FastifyRequest): void {
  const auth = (request.routeOptions.config as { auth?: RouteAuth } | undefined)?.auth;
  if (auth !== undefined && auth !== 'public') refuseCrossOriginSession(request);
}

/** Authenticates and authorizes a request against its route's declaration: the principal, or null on public routes. */
export function authorize(db: WritableDb, request: FastifyRequest, auth: RouteAuth): Principal | null {
  if (auth === 'public') return null;
  const principal = authenticate(db, request);
  if (auth === 'admin') requireScope(principal, 'admin');
  else if (auth !== 'any') requireScope(principal, auth.scope);
  return principal;
}

/** The caller of a route that is not public (set by the preValidation hook). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error(`${request.method} ${request.routeOptions.url} is public: it has no principal`);
  return request.principal;
}

function isRouteAuth(value: unknown): value is RouteAuth {
  if (value === 'admin' || value === 'any' || value === 'public') return true;
  return typeof value === 'object' && value !== null && typeof (value as { scope?: unknown }).scope === 'string';
}
