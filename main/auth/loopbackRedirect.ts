import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OutpostError } from '../core/outpostError.ts';

export class OAuthFlowError extends OutpostError {
  declare readonly code: 'oauth_denied' | 'oauth_state_mismatch' | 'oauth_timeout' | 'oauth_cancelled';
  constructor(code: OAuthFlowError['code'], message: string) {
    super(code, message);
  }
}

export interface LoopbackRedirect {
  /** http://127.0.0.1:<random port>/oauth/callback */
  redirectUri: string;
  /** Resolves with the authorization code once the browser comes back with the expected state. */
  code: Promise<string>;
  close(): void;
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:system-ui;margin:4em;text-align:center"><h1>${title}</h1><p>${text}</p></body>`;

/**
 * The installed-app redirect target: a one-shot HTTP server on 127.0.0.1 and
 * a random port. It accepts exactly one callback carrying the expected
 * `state` (anything else is refused, so another local page cannot inject a
 * code), then stops listening.
 */
export async function startLoopbackRedirect(
  expectedState: string,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<LoopbackRedirect> {
  let resolveCode!: (code: string) => void;
  let rejectCode!: (error: Error) => void;
  const code = new Promise<string>((resolve, reject) => {
    resolveCode = resolve;
    rejectCode = reject;
  });
  code.catch(() => {}); // callers await it; avoid an unhandled rejection when they close first

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/oauth/callback') {
      response.writeHead(404).end();
      return;
    }
    const state = url.searchParams.get('state');
    const error = url.searchParams.get('error');
    const authCode = url.searchParams.get('code');
    if (state !== expectedState) {
      response
        .writeHead(400, { 'content-type': 'text/html; charset=utf-8' })
        .end(PAGE('Sign-in failed', 'The response did not match this sign-in attempt. Start again from Outpost.'));
      return;
    }
    if (error || !authCode) {
      response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(PAGE('Sign-in cancelled', 'You can close this window.'));
      finish(new OAuthFlowError('oauth_denied', `the provider refused access: ${error ?? 'no code returned'}`));
      return;
    }
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(PAGE('Signed in', 'Outpost is connected. You can close this window.'));
    finish(null, authCode);
  });

  const timer = setTimeout(
    () => finish(new OAuthFlowError('oauth_timeout', 'sign-in was not completed in time')),
    options.timeoutMs ?? 5 * 60_000,
  );
  const onAbort = () => finish(new OAuthFlowError('oauth_cancelled', 'sign-in was cancelled'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let done = false;
  function finish(error: Error | null, value?: string) {
    if (done) return;
    done = true;
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    server.close();
    server.closeAllConnections?.();
    if (error) rejectCode(error);
    else resolveCode(value as string);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${port}/oauth/callback`,
    code,
    close: () => finish(new OAuthFlowError('oauth_cancelled', 'sign-in was cancelled')),
  };
}
