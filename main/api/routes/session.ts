import { UiSessionResponse } from '../../../shared/api/session.ts';
import { OutpostError } from '../../core/outpostError.ts';
import { presentedSessionToken, SESSION_COOKIE } from '../auth/authenticate.ts';
import { principalOf } from '../auth/routeAuth.ts';
import type { ApiServer } from '../server.ts';

/**
 * POST /v1/session: the browser UI's session, moved from the printed link into a cookie. The UI
 * calls it with the `#session=` token of the link `outpost serve` prints (as a Bearer token), or
 * with the cookie it already has; the answer sets `authjs.session-token` HttpOnly (no script
 * reads it), SameSite=Strict and path / on this loopback origin, so a new tab or a reload of
 * any address of the UI is signed in without the fragment. A page of another origin cannot use
 * it: sessions and the cookie from another origin are refused before this runs (originCheck.ts).
 * API keys stay in headers: a key is refused here.
 */
export function registerSessionRoutes(app: ApiServer): void {
  app.post(
    '/v1/session',
    {
      config: { auth: { scope: 'read:email' } },
      schema: {
        summary: 'Keep the presented session in an HttpOnly, SameSite=Strict cookie (the browser UI)',
        response: { 200: UiSessionResponse },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const token = presentedSessionToken(request);
      if (principal.kind !== 'session' || token === null)
        throw new OutpostError('validation_error', 'only a session (the link `outpost serve` prints) can become the UI cookie');
      const expires = new Date(principal.expiresAt);
      void reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/', expires });
      return { data: { admin: principal.isAdmin, expires_at: expires.toISOString() } };
    },
  );
}
