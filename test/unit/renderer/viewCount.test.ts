import { describe, expect, it } from 'vitest';
import { viewCount, viewPlace } from '../../../renderer/src/mail/viewCount.ts';
import type { Label } from '../../../shared/api/threads.ts';

const label = (id: string, account: string, role: string | null, threads: number) =>
  ({ id, name: id, kind: 'system', account_id: account, role, thread_count: threads, unread_thread_count: 0 }) as Label;
const labels = [
  label('lbl_1', 'gmail-1', 'inbox', 512),
  label('lbl_2', 'outlook-1', 'inbox', 30),
  label('lbl_3', 'gmail-1', 'starred', 7),
  label('lbl_4', 'gmail-1', null, 40),
];
const accounts = ['gmail-1', 'outlook-1'];

describe("viewCount: how many conversations 'Select all N' names", () => {
  it("adds a role's labels over the accounts in view, or counts one account's", () => {
    expect(viewCount({ kind: 'label', label: 'inbox', title: 'Inbox' }, labels, accounts, null)).toBe(542);
    expect(viewCount({ kind: 'label', label: 'inbox', title: 'Inbox', account: 'outlook-1' }, labels, accounts, null)).toBe(30);
  });

  it('counts a label by its id', () => {
    expect(viewCount({ kind: 'label', label: 'lbl_4', title: 'Work' }, labels, accounts, null)).toBe(40);
  });

  it('gives no number where an account in view has no label for the role (Outlook has no Starred label) or for All Mail', () => {
    expect(viewCount({ kind: 'label', label: 'starred', title: 'Starred' }, labels, accounts, null)).toBeNull();
    expect(viewCount({ kind: 'label', label: 'starred', title: 'Starred', account: 'gmail-1' }, labels, accounts, null)).toBe(7);
    expect(viewCount({ kind: 'label', label: 'all', title: 'All Mail', account: 'gmail-1' }, labels, accounts, null)).toBeNull();
  });

  it("takes a search's exact total, not an estimate", () => {
    const view = { kind: 'search', query: 'from:ann' } as const;
    expect(viewCount(view, labels, accounts, { count: 12, estimated: false })).toBe(12);
    expect(viewCount(view, labels, accounts, { count: 16_000, estimated: true })).toBeNull();
    expect(viewPlace(view)).toBe('matching from:ann');
    expect(viewPlace({ kind: 'label', label: 'inbox', title: 'Inbox' })).toBe('in Inbox');
  });
});
