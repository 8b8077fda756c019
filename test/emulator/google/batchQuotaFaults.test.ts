import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../index.ts';
import { type AnyJson, control, failure, gmailFor, signIn, start } from './harness.ts';

const FULL = 'https://mail.google.com/';

function batchBody(boundary: string, paths: string[]): string {
  return `${paths.map((p, i) => `--${boundary}\r\nContent-Type: application/http\r\nContent-ID: <item${i}>\r\n\r\nGET ${p}\r\n\r\n`).join('')}--${boundary}--\r\n`;
}

describe('Gmail batch, quota and fault injection', () => {
  let emu: RunningEmulator;
  let token: string;
  let gmail: ReturnType<typeof gmailFor>;
  beforeAll(async () => {
    emu = await start({ seed: { kind: 'synthetic', count: 2000 } });
    const auth = await signIn(emu, [FULL]);
    token = auth.credentials.access_token ?? '';
    gmail = gmailFor(emu, auth);
  });
  afterAll(() => emu.stop());

  const batch = (body: string, type = 'multipart/mixed; boundary=b1') =>
    fetch(`${emu.baseUrl}/batch/gmail/v1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      body,
    });

  it('answers multipart/mixed with response-<Content-ID> parts', async () => {
    const { data } = await gmail.users.messages.list({ userId: 'me', maxResults: 3 });
    const paths = (data.messages ?? [])
      .map((m) => `/gmail/v1/users/me/messages/${m.id}?format=minimal`)
      .concat('/gmail/v1/users/me/messages/7fffffffffffffff');
    const res = await batch(batchBody('b1', paths));
    expect(res.status).toBe(200);
    const type = res.headers.get('content-type') ?? '';
    expect(type).toMatch(/^multipart\/mixed; boundary=/);
    const text = await res.text();
    const parts = text.split(`--${type.split('boundary=')[1]}`).slice(1, -1);
    expect(parts).toHaveLength(4);
    expect(parts[0]).toContain('Content-ID: <response-item0>');
    expect(parts[0]).toContain('HTTP/1.1 200 OK');
    expect(parts[0]).toContain(`"id": "${data.messages?.[0]?.id}"`);
    expect(parts[3]).toContain('HTTP/1.1 404 Not Found');
  });

  it('refuses malformed batches and more than 100 parts with 400', async () => {
    expect((await batch('garbage', 'application/json')).status).toBe(400);
    expect((await batch('--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1--')).status).toBe(400);
    const tooMany = await batch(
      batchBody(
        'b1',
        Array.from({ length: 101 }, () => '/gmail/v1/users/me/profile'),
      ),
    );
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as AnyJson).error.message).toBe(
      'Inner request count exceeds the limit. Received: 101, Limit: 100',
    );
  });

  it('charges quota per part and answers 429 rateLimitExceeded beyond 250 units per second', async () => {
    await control(emu, 'POST', '/clock', { advanceMs: 2000 });
    const { data } = await gmail.users.messages.list({ userId: 'me', maxResults: 100 });
    const paths = (data.messages ?? []).map((m) => `/gmail/v1/users/me/messages/${m.id}?format=minimal`);
    const text = await (await batch(batchBody('b1', paths))).text();
    expect((text.match(/HTTP\/1.1 200/g) ?? []).length).toBe(49); // 5 (list) + 49 x 5 = 250
    expect(text).toContain('HTTP/1.1 429');
    expect(text).toContain('"reason": "rateLimitExceeded"');
    const limited = await failure(gmail.users.getProfile({ userId: 'me' }, { retry: false }));
    expect(limited.status).toBe(429);
    expect(limited.error.errors[0]).toMatchObject({ reason: 'rateLimitExceeded', domain: 'usageLimits' });
    const quota = await control(emu, 'GET', '/google/quota');
    expect(quota.spent['alice@gmail.test']).toBeGreaterThanOrEqual(250);
    await control(emu, 'POST', '/clock', { advanceMs: 2000 });
    await control(emu, 'POST', '/google/quota', { unitsPerSecond: 6, exceededStatus: 403 });
    await gmail.users.messages.get({ userId: 'me', id: data.messages?.[0]?.id ?? '', format: 'minimal' });
    const forbidden = await failure(
      gmail.users.messages.get({ userId: 'me', id: data.messages?.[0]?.id ?? '' }, { retry: false }),
    );
    expect(forbidden.status).toBe(403);
    expect(forbidden.error.errors[0]).toMatchObject({ reason: 'userRateLimitExceeded', domain: 'usageLimits' });
    await control(emu, 'POST', '/google/quota', { unitsPerSecond: 250, exceededStatus: 429 });
    await control(emu, 'POST', '/clock', { advanceMs: 2000 });
  });

  it('injects 5xx, 429 storms, latency, resets and truncated bodies by endpoint', async () => {
    await control(emu, 'POST', '/google/quota', { enabled: false });
    await control(emu, 'POST', '/faults', {
      faults: [{ endpoint: 'gmail.users.labels.list', kind: 'status', status: 503, count: 1 }],
    });
    const unavailable = await failure(gmail.users.labels.list({ userId: 'me' }, { retry: false }));
    expect(unavailable.status).toBe(503);
    expect(unavailable.error.errors[0].reason).toBe('backendError');
    expect((await gmail.users.labels.list({ userId: 'me' })).status).toBe(200);

    await control(emu, 'POST', '/faults', { faults: [{ endpoint: 'gmail.*', kind: 'rateLimit', count: 3, retryAfter: 1 }] });
    for (let i = 0; i < 3; i++)
      expect((await failure(gmail.users.getProfile({ userId: 'me' }, { retry: false }))).status).toBe(429);

    await control(emu, 'POST', '/faults', {
      faults: [{ endpoint: 'gmail.users.getProfile', kind: 'latency', latencyMs: 150, count: 1 }],
    });
    const t0 = Date.now();
    await gmail.users.getProfile({ userId: 'me' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);

    await control(emu, 'POST', '/faults', { faults: [{ endpoint: 'gmail.users.getProfile', kind: 'reset', count: 1 }] });
    await expect(
      fetch(`${emu.baseUrl}/gmail/v1/users/me/profile`, { headers: { authorization: `Bearer ${token}` } }),
    ).rejects.toThrow();

    await control(emu, 'POST', '/faults', { faults: [{ endpoint: 'gmail.users.messages.list', kind: 'truncate', count: 1 }] });
    await expect(
      fetch(`${emu.baseUrl}/gmail/v1/users/me/messages`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text()),
    ).rejects.toThrow();

    await control(emu, 'POST', '/faults', {
      seed: 5,
      faults: [{ endpoint: 'gmail.users.getProfile', kind: 'status', status: 500, probability: 0.5 }],
    });
    const outcomes: number[] = [];
    for (let i = 0; i < 10; i++)
      outcomes.push(
        (await fetch(`${emu.baseUrl}/gmail/v1/users/me/profile`, { headers: { authorization: `Bearer ${token}` } })).status,
      );
    await control(emu, 'POST', '/faults', {
      seed: 5,
      faults: [{ endpoint: 'gmail.users.getProfile', kind: 'status', status: 500, probability: 0.5 }],
    });
    const again: number[] = [];
    for (let i = 0; i < 10; i++)
      again.push(
        (await fetch(`${emu.baseUrl}/gmail/v1/users/me/profile`, { headers: { authorization: `Bearer ${token}` } })).status,
      );
    expect(again).toEqual(outcomes);
    expect(outcomes).toContain(500);
    expect(outcomes).toContain(200);
    await fetch(`${emu.controlUrl}/faults`, { method: 'DELETE' });

    const counters = await control(emu, 'GET', '/counters');
    expect(counters.requests['gmail.users.getProfile']).toBeGreaterThan(20);
  });

  it('synthetic messages look like Gmail messages', async () => {
    const { data } = await gmail.users.messages.list({ userId: 'me', maxResults: 1 });
    const msg = await gmail.users.messages.get({
      userId: 'me',
      id: data.messages?.[0]?.id ?? '',
      format: 'metadata',
      metadataHeaders: ['Message-ID', 'Date'],
    });
    expect(msg.data.id).toMatch(/^[0-9a-f]{16}$/);
    expect(msg.data.payload?.headers?.map((h) => h.name)).toEqual(['Date', 'Message-ID']);
  });
});
