import { describe, expect, it } from 'vitest';
import {
  classifyGoogleAnswer,
  classifyGoogleFailure,
  nextPacificMidnight,
  toProviderError,
} from '../../../main/providers/gmail/gmailErrors.ts';

/** Google's JSON error body (code, message, errors[{domain, reason, message}], status), as its error pages show it. */
const body = (code: number, reason: string, message: string, domain = 'usageLimits') => ({
  error: {
    code,
    message,
    errors: [{ message, domain, reason }],
    status: code === 429 ? 'RESOURCE_EXHAUSTED' : 'PERMISSION_DENIED',
  },
});
/** A whole response's failure as googleapis (gaxios) throws it. */
const gaxios = (status: number, data: unknown, headers: Record<string, string> = {}) =>
  Object.assign(new Error(`Request failed with status code ${status}`), { response: { status, data, headers } });

describe('classifyGoogleAnswer: one classifier for whole responses and batch parts', () => {
  it.each([
    [429, body(429, 'rateLimitExceeded', 'Rate Limit Exceeded'), 'rate'],
    [403, body(403, 'userRateLimitExceeded', 'User Rate Limit Exceeded'), 'rate'],
    [403, body(403, 'rateLimitExceeded', 'Rate Limit Exceeded'), 'rate'],
    [429, body(429, 'rateLimitExceeded', 'Too many concurrent requests for user.', 'global'), 'concurrent'],
    [403, body(403, 'rateLimitExceeded', 'Too many concurrent requests for user', 'global'), 'concurrent'],
    [500, body(500, 'backendError', 'Backend Error', 'global'), 'backend'],
    [503, body(503, 'backendError', 'The service is currently unavailable.', 'global'), 'backend'],
  ] as const)('%i %o: retry (%s)', (status, json, limit) => {
    // The same verdict for a batch part (its body as text) and a whole response (parsed).
    const part = classifyGoogleAnswer({ status, body: JSON.stringify(json) });
    expect(part).toMatchObject({ kind: 'retry', limit });
    expect(classifyGoogleAnswer({ status, body: json })).toEqual(part);
    expect(classifyGoogleFailure(gaxios(status, json))).toMatchObject({
      kind: 'retry',
      reason: part.kind === 'retry' ? part.reason : '',
    });
  });

  it('honours Retry-After in seconds on either', () => {
    const json = body(429, 'rateLimitExceeded', 'Rate Limit Exceeded');
    expect(classifyGoogleAnswer({ status: 429, body: JSON.stringify(json), retryAfter: '7' })).toMatchObject({
      retryAfterMs: 7000,
    });
    expect(classifyGoogleFailure(gaxios(429, json, { 'retry-after': '3' }))).toMatchObject({ kind: 'retry', retryAfterMs: 3000 });
  });

  it("403 dailyLimitExceeded is not retried and resets at the next Pacific midnight by the answer's Date", () => {
    const json = body(403, 'dailyLimitExceeded', 'Daily Limit Exceeded');
    const date = 'Tue, 14 Jul 2026 20:30:00 GMT'; // 13:30 in Los Angeles (PDT)
    const verdict = classifyGoogleAnswer({ status: 403, body: JSON.stringify(json), date });
    expect(verdict).toEqual({
      kind: 'daily',
      reason: '403 dailyLimitExceeded',
      resetsAt: Date.parse('2026-07-15T07:00:00Z'),
      googleNow: Date.parse(date),
    });
    expect(classifyGoogleFailure(gaxios(403, json, { date }))).toEqual({ kind: 'fatal' });
    const error = toProviderError(gaxios(403, json, { date }));
    expect(error).toMatchObject({ code: 'quota_exceeded' });
    expect((error as Error).message).toContain('2026-07-15T07:00:00.000Z');
  });

  it('Pacific midnight follows daylight saving time', () => {
    expect(new Date(nextPacificMidnight(Date.parse('2026-01-10T12:00:00Z'))).toISOString()).toBe('2026-01-11T08:00:00.000Z');
    // The days the clocks go forward (8 March 2026, a 23-hour day) and back (1 November 2026, 25 hours).
    expect(new Date(nextPacificMidnight(Date.parse('2026-03-08T12:00:00Z'))).toISOString()).toBe('2026-03-09T07:00:00.000Z');
    expect(new Date(nextPacificMidnight(Date.parse('2026-10-31T20:00:00Z'))).toISOString()).toBe('2026-11-01T07:00:00.000Z');
    expect(new Date(nextPacificMidnight(Date.parse('2026-11-01T12:00:00Z'))).toISOString()).toBe('2026-11-02T08:00:00.000Z');
  });

  it("Calendar's 403 quotaExceeded (usage limits) is not retried and ends as quota_exceeded, saying to wait", () => {
    // Google's Calendar errors page: the user reached a Calendar usage limit; it replenishes over hours, so
    // backing off and asking again only hammers. Not a provider fault either: the account's status says quota.
    const json = body(403, 'quotaExceeded', 'Calendar usage limits exceeded.');
    expect(classifyGoogleAnswer({ status: 403, body: JSON.stringify(json) })).toEqual({ kind: 'fatal' });
    expect(classifyGoogleFailure(gaxios(403, json))).toEqual({ kind: 'fatal' });
    const error = toProviderError(gaxios(403, json));
    expect(error).toMatchObject({ code: 'quota_exceeded', status: 403 });
    expect((error as Error).message).toMatch(/Calendar.s usage limits.*403 quotaExceeded.*try again later/);
  });

  it("Calendar's rate answers (403 userRateLimitExceeded / rateLimitExceeded, 429 rateLimitExceeded) are retried", () => {
    for (const [status, reason, message] of [
      [403, 'userRateLimitExceeded', 'User Rate Limit Exceeded'],
      [403, 'rateLimitExceeded', 'Rate Limit Exceeded'],
      [429, 'rateLimitExceeded', 'Rate Limit Exceeded'],
    ] as const)
      expect(classifyGoogleFailure(gaxios(status, body(status, reason, message)))).toMatchObject({ kind: 'retry' });
  });

  it('other 403s and 4xx are fatal', () => {
    expect(classifyGoogleAnswer({ status: 403, body: body(403, 'insufficientPermissions', 'Insufficient Permission') })).toEqual({
      kind: 'fatal',
    });
    expect(classifyGoogleAnswer({ status: 400, body: 'not json' })).toEqual({ kind: 'fatal' });
    expect(
      classifyGoogleAnswer({ status: 404, body: body(404, 'notFound', 'Requested entity was not found.', 'global') }),
    ).toEqual({
      kind: 'fatal',
    });
  });
});
