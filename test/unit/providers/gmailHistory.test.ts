import { describe, expect, it } from 'vitest';
import { classifyGoogleFailure, toProviderError } from '../../../main/providers/gmail/gmailErrors.ts';
import { pageEffects } from '../../../main/providers/gmail/gmailHistorySync.ts';
import { toLabelInput } from '../../../main/providers/gmail/gmailLabels.ts';

describe('Gmail history page effects', () => {
  it('keeps the last word per message: add, relabel, delete', () => {
    const effects = pageEffects([
      { id: '10', messagesAdded: [{ message: { id: 'a', threadId: 't1', labelIds: ['INBOX', 'UNREAD'] } }] },
      { id: '11', labelsRemoved: [{ message: { id: 'a', threadId: 't1', labelIds: ['INBOX'] }, labelIds: ['UNREAD'] }] },
      { id: '12', messagesAdded: [{ message: { id: 'b', threadId: 't2', labelIds: ['INBOX'] } }] },
      { id: '13', messagesDeleted: [{ message: { id: 'b', threadId: 't2' } }] },
      { id: '14', labelsAdded: [{ message: { id: 'c', threadId: 't3' }, labelIds: ['STARRED'] }] },
    ]);
    expect([...effects.added]).toEqual(['a']);
    expect([...effects.deleted]).toEqual(['b']);
    expect(effects.labelSets.get('a')).toEqual(['INBOX']);
    expect(effects.labelSets.has('b')).toBe(false);
    expect([...effects.needLabels]).toEqual(['c']); // a record without the message's labels: fetch them
    expect([...effects.threads].sort()).toEqual(['t1', 't2', 't3']);
  });

  it('treats a message deleted then re-added on the same page as present', () => {
    const effects = pageEffects([
      { id: '1', messagesDeleted: [{ message: { id: 'x' } }] },
      { id: '2', messagesAdded: [{ message: { id: 'x', threadId: 't', labelIds: ['SENT'] } }] },
    ]);
    expect(effects.deleted.has('x')).toBe(false);
    expect(effects.added.has('x')).toBe(true);
  });
});

describe('Gmail labels in the shared label model', () => {
  it('maps system labels to roles, CATEGORY_* to categories, and keeps UNREAD as a flag only', () => {
    expect(toLabelInput({ id: 'INBOX', name: 'INBOX', type: 'system' })).toEqual({
      remoteId: 'INBOX',
      name: 'Inbox',
      kind: 'system',
      role: 'inbox',
    });
    expect(toLabelInput({ id: 'TRASH', type: 'system' })).toMatchObject({ role: 'trash', name: 'Trash' });
    expect(toLabelInput({ id: 'CATEGORY_SOCIAL', type: 'system' })).toMatchObject({ kind: 'category', name: 'Social' });
    // Gmail names its own labels by their ids; a user's label keeps its name even when it looks like one.
    expect(toLabelInput({ id: 'CATEGORY_FORUMS', name: 'CATEGORY_FORUMS', type: 'system' })).toMatchObject({ name: 'Forums' });
    expect(toLabelInput({ id: 'CHAT', name: 'CHAT', type: 'system' })).toMatchObject({ kind: 'system', name: 'Chat' });
    expect(toLabelInput({ id: 'Label_9', name: 'Label_9', type: 'user' })).toMatchObject({ name: 'Label_9' });
    expect(toLabelInput({ id: 'Label_3', name: 'Receipts', type: 'user' })).toEqual({
      remoteId: 'Label_3',
      name: 'Receipts',
      kind: 'user',
      role: null,
    });
    expect(toLabelInput({ id: 'UNREAD', type: 'system' })).toBeNull();
  });
});

describe('Google failure classification', () => {
  const gaxios = (status: number, data: unknown, headers: Record<string, string> = {}) => ({
    response: { status, data, headers },
    message: `HTTP ${status}`,
  });

  it('retries 429, rate-limit 403s, 5xx and dropped connections; honours Retry-After', () => {
    expect(classifyGoogleFailure(gaxios(429, {}, { 'retry-after': '2' }))).toEqual({
      kind: 'retry',
      retryAfterMs: 2000,
      reason: '429',
    });
    expect(classifyGoogleFailure(gaxios(403, { error: { errors: [{ reason: 'userRateLimitExceeded' }] } }))).toMatchObject({
      kind: 'retry',
    });
    expect(classifyGoogleFailure(gaxios(503, {}))).toMatchObject({ kind: 'retry' });
    expect(classifyGoogleFailure(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toMatchObject({
      kind: 'retry',
    });
  });

  it('does not retry permission, not-found or bad-request errors', () => {
    expect(classifyGoogleFailure(gaxios(403, { error: { errors: [{ reason: 'insufficientPermissions' }] } }))).toEqual({
      kind: 'fatal',
    });
    expect(classifyGoogleFailure(gaxios(404, {}))).toEqual({ kind: 'fatal' });
    expect(classifyGoogleFailure(gaxios(400, { error: 'invalid_grant' }))).toEqual({ kind: 'fatal' });
    expect(classifyGoogleFailure(new TypeError('x is undefined'))).toEqual({ kind: 'fatal' });
  });

  it('turns a revoked refresh token into needs_reauth and a lasting 429 into quota_exceeded', () => {
    expect(
      toProviderError(gaxios(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' })),
    ).toMatchObject({ code: 'needs_reauth' });
    expect(toProviderError(gaxios(429, {}))).toMatchObject({ code: 'quota_exceeded' });
    expect(toProviderError(gaxios(500, {}))).toMatchObject({ code: 'provider_error', status: 500 });
    expect(toProviderError(new Error('fetch failed'))).toMatchObject({ code: 'network_error' });
  });
});
