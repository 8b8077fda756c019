import type { EmulatorContext, EmulatorReply, EmulatorService, SeedSpec } from '../kit/types.ts';
import { batchRoute } from './batch.ts';
import { calendarRoutes } from './calendarRoutes.ts';
import { controlRoutes } from './control.ts';
import { graphErrorReply, withGraphHeaders } from './errors.ts';
import { type ExchangeLimitSettings, ExchangeLimits } from './exchangeLimits.ts';
import type { GraphEnv, GraphUser } from './graphContext.ts';
import { IdentityPlatform } from './identity.ts';
import { withIdPreference } from './ids.ts';
import { mailFolderRoutes } from './mailFolderRoutes.ts';
import { mailRoutes } from './mailRoutes.ts';
import { masterCategoryRoutes } from './masterCategoryRoutes.ts';
import { seedUsers } from './seed.ts';
import { snapshotOf } from './snapshot.ts';

export interface MicrosoftOptions {
  autoConsent?: boolean;
  accessTokenLifetimeSec?: number;
  /** Graph requests per second per client app before 429 ApplicationThrottled (0 = unlimited). */
  rateLimitPerSec?: number;
  /** Exchange's limits per app and mailbox: true = as documented (10,000 per 10 min, 4 in flight); default off. */
  exchangeLimits?: boolean | Partial<ExchangeLimitSettings>;
}

/** Microsoft identity platform v2.0 + Graph v1.0 mail and calendar. */
export function createMicrosoftService(ctx: EmulatorContext, seed: SeedSpec, options: MicrosoftOptions = {}): EmulatorService {
  const users = new Map<string, GraphUser>();
  for (const u of seedUsers(seed, () => ctx.now())) users.set(u.mailbox.upn, u);
  const identity = new IdentityPlatform(ctx, () => [...users.values()].map((u) => u.mailbox), {
    autoConsent: options.autoConsent ?? false,
    accessTokenLifetimeSec: options.accessTokenLifetimeSec ?? 3600,
  });
  const env: GraphEnv = {
    ctx,
    identity,
    users,
    rateLimitPerSec: options.rateLimitPerSec ?? 0,
    limits: new ExchangeLimits(() => ctx.now(), options.exchangeLimits),
  };
  const graphPaths = (path: string) => path.startsWith('/v1.0/');
  return {
    name: 'microsoft',
    routes: [
      ...identity.routes(),
      ...[
        batchRoute(ctx),
        ...mailRoutes(env),
        ...mailFolderRoutes(env),
        ...masterCategoryRoutes(env),
        ...calendarRoutes(env),
      ].map((r) => withIdPreference(env, withGraphHeaders(r))),
    ],
    controlRoutes: controlRoutes(env),
    users: () => [...users.values()].map((u) => ({ provider: 'microsoft' as const, email: u.mailbox.upn })),
    urls: () => ({ microsoftIdentity: ctx.baseUrl, microsoftGraph: `${ctx.baseUrl}/v1.0` }),
    snapshot: () => snapshotOf(users),
    // State files hold the snapshot; a restart re-seeds deterministically (tokens do not survive).
    exportState: () => snapshotOf(users),
    importState: () => {},
    notFound: (req): EmulatorReply | undefined =>
      graphPaths(req.url.pathname)
        ? graphErrorReply(400, 'BadRequest', `Resource not found for the segment '${req.url.pathname.split('/').pop()}'.`)
        : undefined,
    ownsEndpoint: (endpoint) => endpoint.startsWith('graph.') || endpoint.startsWith('identity.'),
    faultReply: (status, endpoint) =>
      status === 429
        ? graphErrorReply(429, 'TooManyRequests', 'Too many requests. Please retry after the time given in Retry-After.', {
            'retry-after': '2',
          })
        : endpoint.startsWith('identity.')
          ? {
              status,
              body: {
                error: 'temporarily_unavailable',
                error_description: 'AADSTS90033: A transient error has occurred. Please try again.',
                error_codes: [90033],
              },
            }
          : graphErrorReply(
              status,
              status === 503 ? 'ServiceNotAvailable' : 'InternalServerError',
              'The service is temporarily unavailable.',
            ),
  };
}
