import { describe, expect, it } from 'vitest';
import { threadRows } from '../../../renderer/src/threadLayout.ts';
import type { Message } from '../../../shared/api/threads.ts';

const message = (id: string, isUnread = false) => ({ id, is_unread: isUnread }) as Message;
/** Rows as text: "m1+" open, "m1-" a header, "[m2 m3 m4 m5]" a fold. */
const shape = (...args: Parameters<typeof threadRows>) =>
  threadRows(...args)
    .map((r) => (r.kind === 'fold' ? `[${r.messages.map((m) => m.id).join(' ')}]` : `${r.message.id}${r.expanded ? '+' : '-'}`))
    .join(' ');
const none = new Set<string>();

describe('threadRows', () => {
  it('opens the newest message and the unread ones; the rest are headers', () => {
    expect(shape([message('m1')], none, none)).toBe('m1+');
    expect(shape([message('m1'), message('m2', true), message('m3')], none, none)).toBe('m1- m2+ m3+');
  });

  it('folds a run of more than three read messages between the first and the newest', () => {
    const thread = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'].map((id) => message(id));
    expect(shape(thread, none, none)).toBe('m1- [m2 m3 m4 m5 m6] m7+');
    // Three in a row stay as headers.
    expect(shape(thread.slice(2), none, none)).toBe('m3- m4- m5- m6- m7+');
    expect(shape(thread.slice(1), none, none)).toBe('m2- [m3 m4 m5 m6] m7+');
  });

  it('an unread message in the middle splits the run; each long run folds on its own', () => {
    const ids = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10', 'm11', 'm12'];
    const thread = ids.map((id) => message(id, id === 'm7'));
    expect(shape(thread, none, none)).toBe('m1- [m2 m3 m4 m5 m6] m7+ [m8 m9 m10 m11] m12+');
  });

  it('keeps open the messages that were unread when the thread opened, once opening marked them read', () => {
    const thread = ['m1', 'm2', 'm3'].map((id) => message(id));
    expect(shape(thread, none, none, new Set(['m2']))).toBe('m1- m2+ m3+');
  });

  it('keeps what the reader opened, closed and unfolded', () => {
    const thread = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'].map((id) => message(id));
    expect(shape(thread, new Set(['m6', 'm1']), none)).toBe('m1+ [m2 m3 m4 m5] m6-');
    expect(shape(thread, new Set(['m3']), new Set(['m2']))).toBe('m1- m2- m3+ m4- m5- m6+');
    // Opening one message in a fold splits it; the part too short to fold stays as headers.
    expect(shape(thread, new Set(['m3']), none)).toBe('m1- m2- m3+ m4- m5- m6+');
    // An unfolded run stays unfolded as a whole.
    expect(shape(thread, none, new Set(['m2']))).toBe('m1- m2- m3- m4- m5- m6+');
  });
});
