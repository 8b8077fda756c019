import type { IncomingHttpHeaders } from 'node:http';
import { OutpostError } from '../../core/outpostError.ts';

/**
 * Refuses a request that a page of another origin made the browser send.
 * Sessions (the `authjs.session-token` cookie, or a `ses_` token in a header)
 * are the UI's credentials, and the UI is served by this server: its requests
 * are same-origin. A page on another port of 127.0.0.1 or on `localhost` is
 * another origin, but the *same site* (sites ignore ports), so SameSite
 * cookies do not stop it; this check does:
 *
 * - `Origin`, when present, must be this server's origin (`http://` + the
 *   Host the request names, already checked to be loopback);
 * - `Sec-Fetch-Site` may be `same-origin` or `none` (typed in the address bar,
 *   a bookmark); `cross-site` is refused, and so is `same-site` unless Origin
 *   shows it came from this origin;
 * - a request with neither header (curl, scripts, Node's fetch) is not a
 *   browser page's, and passes.
 */
export function refuseCrossOrigin(headers: IncomingHttpHeaders): void {
  const origin = headers.origin;
  const site = headers['sec-fetch-site'];
  if (origin === undefined && site === undefined) return;
  const own = ownOrigin(headers.host);
  const sameOrigin = origin !== undefined && own !== null && originOf(origin) === own;
  if (origin !== undefined && !sameOrigin) throw refused(`Origin ${origin.slice(0, 100)}`);
  if (site === undefined || site === 'same-origin' || site === 'none') return;
  if (site === 'same-site' && sameOrigin) return;
  throw refused(`Sec-Fetch-Site: ${String(site).slice(0, 40)}`);
}

function ownOrigin(host: string | undefined): string | null {
  return host ? originOf(`http://${host}`) : null;
}

/** The serialized origin (scheme, host, port; default ports dropped), or null for "null" and anything unparsable. */
function originOf(value: string): string | null {
  try {
    const url = new URL(value);
    return url.origin === 'null' ? null : url.origin;
  } catch {
    return null;
  }
}

function refused(what: string): OutpostError {
  return new OutpostError(
    'cross_origin_refused',
    `a session or session cookie sent by a page of another origin (${what}) is refused; only Outpost's own pages may use it (scripts: use an API key)`,
  );
}
