import { describe, expect, it } from 'vitest';
import { OAuthFlowError, startLoopbackRedirect } from '../../../main/auth/loopbackRedirect.ts';

describe('the OAuth loopback redirect', () => {
  it('listens on 127.0.0.1 with a random port and returns the code for the right state', async () => {
    const loop = await startLoopbackRedirect('state-123');
    expect(loop.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
    const response = await fetch(`${loop.redirectUri}?state=state-123&code=abc`);
    expect(response.status).toBe(200);
    expect(await loop.code).toBe('abc');
  });

  it('refuses a callback with another state and keeps waiting for the real one', async () => {
    const loop = await startLoopbackRedirect('good');
    expect((await fetch(`${loop.redirectUri}?state=forged&code=evil`)).status).toBe(400);
    await fetch(`${loop.redirectUri}?state=good&code=real`);
    expect(await loop.code).toBe('real');
  });

  it('reports a denied consent, a timeout and a cancel as classified errors', async () => {
    const denied = await startLoopbackRedirect('s');
    await fetch(`${denied.redirectUri}?state=s&error=access_denied`);
    await expect(denied.code).rejects.toMatchObject({ code: 'oauth_denied' });

    const slow = await startLoopbackRedirect('s', { timeoutMs: 20 });
    await expect(slow.code).rejects.toBeInstanceOf(OAuthFlowError);

    const controller = new AbortController();
    const cancelled = await startLoopbackRedirect('s', { signal: controller.signal });
    controller.abort();
    await expect(cancelled.code).rejects.toMatchObject({ code: 'oauth_cancelled' });
  });
});
