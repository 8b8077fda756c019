/**
 * Exchange's limits on Outlook resources, per app ID and mailbox, as Microsoft's throttling
 * reference states them: 10,000 requests per 10-minute window and 4 concurrent requests, each
 * refusal a 429 ApplicationThrottled with Retry-After; a $batch counts each inner request, and
 * its inner requests run at once, so those beyond the concurrency limit answer 429 one by one.
 * The window runs on the emulator's clock: the tests move the clock instead of waiting.
 */
import { PublicClientApplication } from '@azure/msal-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../index.ts';
import { CLIENT_ID, openBrowser, SCOPES } from './testAuth.ts';

// biome-ignore lint/suspicious/noExplicitAny: assertions read JSON bodies of many shapes
type Json = any;

let emu: RunningEmulator;
let token: string;

async function graph(method: string, path: string, body?: unknown): Promise<{ status: number; headers: Headers; body: Json }> {
  const res = await fetch(`${emu.baseUrl}/v1.0${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

async function control(method: string, path: string, body?: unknown): Promise<Json> {
  const res = await fetch(`${emu.controlUrl}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json();
}

const throttle = (settings: Record<string, unknown>) => control('POST', '/microsoft/throttle', settings);

beforeAll(async () => {
  emu = await startEmulator({ seed: { kind: 'synthetic', count: 30 }, autoConsent: true });
  const pca = new PublicClientApplication({
    auth: { clientId: CLIENT_ID, authority: `${emu.baseUrl}/common`, knownAuthorities: [new URL(emu.baseUrl).host] },
  });
  token = (await pca.acquireTokenInteractive({ scopes: SCOPES, openBrowser, successTemplate: 'ok', errorTemplate: 'error' }))
    .accessToken;
}, 60_000);
afterAll(async () => {
  await emu?.stop();
});
beforeEach(async () => {
  await throttle({ requestsPer10Min: 0, maxConcurrentPerMailbox: 0, windowSec: 600, hold: false, reset: true });
});

describe('Exchange limits in the Graph emulator', () => {
  it('starts with Microsoft’s documented numbers when asked (exchangeLimits: true)', async () => {
    const other = await startEmulator({ seed: { kind: 'empty' }, serviceOptions: { microsoft: { exchangeLimits: true } } });
    try {
      const res = await fetch(`${other.controlUrl}/microsoft/throttle`);
      const state = (await res.json()) as Json;
      expect(state).toMatchObject({ requestsPer10Min: 10_000, windowSec: 600, maxConcurrentPerMailbox: 4 });
    } finally {
      await other.stop();
    }
  });

  it('a spent window answers 429 ApplicationThrottled with Retry-After until the clock passes its end', async () => {
    await throttle({ requestsPer10Min: 5 });
    for (let i = 0; i < 5; i++) expect((await graph('GET', '/me/mailFolders')).status).toBe(200);
    const refused = await graph('GET', '/me/mailFolders');
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'ApplicationThrottled' });
    expect(refused.body.error.innerError['request-id']).toBeTruthy();
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(590);
    expect(retryAfter).toBeLessThanOrEqual(600);
    // Still refused a minute later (and that refusal counts too), served once the window is over.
    await control('POST', '/clock', { advanceMs: 60_000 });
    const later = await graph('GET', '/me/mailFolders');
    expect(later.status).toBe(429);
    expect(Number(later.headers.get('retry-after'))).toBeLessThanOrEqual(retryAfter - 59);
    await control('POST', '/clock', { advanceMs: (Number(later.headers.get('retry-after')) + 1) * 1000 });
    expect((await graph('GET', '/me/mailFolders')).status).toBe(200);
    const state = await control('GET', '/microsoft/throttle');
    expect(state.counts).toMatchObject({ requests: 8, windowThrottled: 2 });
  });

  it('a fifth concurrent request to one mailbox answers 429 MailboxConcurrency; the four finish', async () => {
    await throttle({ maxConcurrentPerMailbox: 4, hold: true });
    const held = Array.from({ length: 4 }, () => graph('GET', '/me/mailFolders'));
    // Wait (by asking, not by time) until the emulator holds all four.
    for (;;) {
      const state = await control('GET', '/microsoft/throttle');
      if (Object.values(state.inFlight as Record<string, number>).includes(4)) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const fifth = await graph('GET', '/me/messages?$top=1');
    expect(fifth.status).toBe(429);
    expect(fifth.body.error).toMatchObject({
      code: 'ApplicationThrottled',
      message: 'Application is over its MailboxConcurrency limit.',
    });
    expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(0);
    await throttle({ hold: false });
    expect((await Promise.all(held)).map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect((await graph('GET', '/me/messages?$top=1')).status).toBe(200);
    const state = await control('GET', '/microsoft/throttle');
    expect(state.counts).toMatchObject({ concurrencyThrottled: 1, peakInFlight: 4 });
  });

  it('a $batch of 20 counts 20 requests; parts beyond the concurrency limit answer 429 each; dependsOn runs them in turn', async () => {
    await throttle({ maxConcurrentPerMailbox: 4, requestsPer10Min: 1000 });
    const requests = Array.from({ length: 20 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: '/me/mailFolders' }));
    const batch = await graph('POST', '/$batch', { requests });
    expect(batch.status).toBe(200);
    const byStatus = (batch.body.responses as Json[]).map((r) => r.status).sort();
    expect(byStatus.filter((s) => s === 200)).toHaveLength(4);
    const refused = (batch.body.responses as Json[]).filter((r) => r.status === 429);
    expect(refused).toHaveLength(16);
    for (const part of refused) {
      expect(part.body.error).toMatchObject({ code: 'ApplicationThrottled', message: /MailboxConcurrency/ });
      expect(Number(part.headers['retry-after'])).toBeGreaterThan(0);
    }
    let state = await control('GET', '/microsoft/throttle');
    expect(state.counts).toMatchObject({ requests: 20, concurrencyThrottled: 16 });

    // The same 20, each depending on the one before: one in flight at a time, all answered.
    const chained = requests.map((r, i) => (i === 0 ? r : { ...r, dependsOn: [String(i)] }));
    const sequenced = await graph('POST', '/$batch', { requests: chained });
    expect((sequenced.body.responses as Json[]).every((r) => r.status === 200)).toBe(true);
    state = await control('GET', '/microsoft/throttle');
    expect(state.counts).toMatchObject({ requests: 40, concurrencyThrottled: 16 });
  });

  it('the window counts a $batch’s inner requests: a batch of 20 spends a budget of 20', async () => {
    await throttle({ requestsPer10Min: 20 });
    const requests = Array.from({ length: 20 }, (_, i) => ({
      id: String(i + 1),
      method: 'GET',
      url: '/me/mailFolders',
      ...(i > 0 ? { dependsOn: [String(i)] } : {}),
    }));
    const batch = await graph('POST', '/$batch', { requests });
    expect((batch.body.responses as Json[]).every((r) => r.status === 200)).toBe(true);
    const next = await graph('GET', '/me/mailFolders');
    expect(next.status).toBe(429);
    expect(next.body.error.code).toBe('ApplicationThrottled');
  });

  it('keeps the per-app requests-per-second setting beside the mailbox limits', async () => {
    const state = await throttle({ requestsPerSecond: 2, maxConcurrentPerMailbox: 4 });
    expect(state).toMatchObject({ requestsPerSecond: 2, maxConcurrentPerMailbox: 4 });
    expect(await throttle({ requestsPerSecond: 0 })).toMatchObject({ requestsPerSecond: 0, maxConcurrentPerMailbox: 4 });
  });

  it('refuses a setting that is not a number >= 0', async () => {
    const res = await fetch(`${emu.controlUrl}/microsoft/throttle`, {
      method: 'POST',
      body: JSON.stringify({ maxConcurrentPerMailbox: -1 }),
    });
    expect(res.status).toBe(400);
  });
});
