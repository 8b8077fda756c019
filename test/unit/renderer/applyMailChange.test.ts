import { describe, expect, it } from 'vitest';
import {
  type CachedList,
  MAX_PATCHED_THREADS,
  patchThreads,
  planMailChange,
  removeThreads,
} from '../../../renderer/src/mail/applyMailChange.ts';
import type { SearchHit } from '../../../shared/api/search.ts';
import type { Label, ThreadSummary } from '../../../shared/api/threads.ts';

const label = (id: string, role: string | null, kind = 'system', account = 'acc_1') =>
  ({ id, name: id, kind, account_id: account, role, thread_count: 0, unread_thread_count: 0 }) as Label;
const labels = [
  label('lbl_1', 'inbox'),
  label('lbl_2', 'starred'),
  label('lbl_3', null, 'user'),
  label('lbl_9', 'inbox', 'folder', 'acc_2'),
];

/** A thread whose newest message came `day` days into November (a later day is newer). */
function thread(n: number, day: number, labelIds: string[] = ['lbl_1'], extra: Partial<ThreadSummary> = {}): ThreadSummary {
  return {
    id: `thr_${n}`,
    account_id: 'acc_1',
    provider_thread_id: `p${n}`,
    subject: `Thread ${n}`,
    snippet: '',
    last_message_at: new Date(Date.UTC(2026, 10, day)).toISOString(),
    message_count: 1,
    unread_count: 0,
    has_attachments: false,
    is_starred: false,
    participants: [],
    recipients: [],
    label_ids: labelIds,
    ...extra,
  };
}

/** The inbox with these threads loaded (newest first), and more pages after them unless `complete`. */
function inbox(threads: ThreadSummary[], complete = false): CachedList {
  const last = threads.at(-1);
  return {
    view: { kind: 'label', label: 'inbox', title: 'Inbox' },
    threads: Object.fromEntries(threads.map((t) => [t.id, t])),
    ids: threads.map((t) => t.id),
    hits: {},
    nextCursor: complete ? null : 'next',
    pagedTo: last ? { id: last.id, last_message_at: last.last_message_at } : null,
  };
}

const loaded = [thread(5, 20), thread(4, 18), thread(3, 15)];
const change = (ids: string[], what: Array<'messages' | 'flags' | 'labels'> = ['messages'], removed: string[] = []) => ({
  thread_ids: ids,
  removed_thread_ids: removed,
  what,
});

describe('removeThreads', () => {
  it('takes removed threads out of the rows and the cache, the others keep their order', () => {
    const list = removeThreads(inbox(loaded), ['thr_4']);
    expect(list.ids).toEqual(['thr_5', 'thr_3']);
    expect(Object.keys(list.threads).sort()).toEqual(['thr_3', 'thr_5']);
  });

  it('leaves the list as it is (the same object) when none of them is shown', () => {
    const list = inbox(loaded);
    expect(removeThreads(list, ['thr_77'])).toBe(list);
  });
});

describe('planMailChange', () => {
  it('fetches the touched threads the list shows, and in a label view those new mail or labels may bring in', () => {
    expect(planMailChange(inbox(loaded), change(['thr_4', 'thr_8']), labels)).toEqual({ kind: 'fetch', ids: ['thr_4', 'thr_8'] });
    expect(planMailChange(inbox(loaded), change(['thr_4', 'thr_8'], ['labels']), labels)).toEqual({
      kind: 'fetch',
      ids: ['thr_4', 'thr_8'],
    });
  });

  it('fetches only shown threads for a change of flags (read, starred), which moves nothing into the inbox', () => {
    expect(planMailChange(inbox(loaded), change(['thr_4', 'thr_8'], ['flags']), labels)).toEqual({
      kind: 'fetch',
      ids: ['thr_4'],
    });
  });

  it('fetches any starred thread for the starred view', () => {
    const starred: CachedList = { ...inbox([]), view: { kind: 'label', label: 'starred', title: 'Starred' } };
    expect(planMailChange(starred, change(['thr_8'], ['flags']), labels)).toEqual({ kind: 'fetch', ids: ['thr_8'] });
  });

  it('does not fetch threads the same change removed', () => {
    expect(planMailChange(inbox(loaded), change(['thr_4', 'thr_5'], ['messages'], ['thr_5']), labels)).toEqual({
      kind: 'fetch',
      ids: ['thr_4'],
    });
  });

  it('fetches only the conversations a search lists (the search is not run again)', () => {
    const search: CachedList = { ...inbox([thread(4, 18)]), view: { kind: 'search', query: 'budget' } };
    expect(planMailChange(search, change(['thr_4', 'thr_8'], ['labels']), labels)).toEqual({ kind: 'fetch', ids: ['thr_4'] });
  });

  it(`reloads instead of patching when one change touches more than ${MAX_PATCHED_THREADS} threads (a first full sync)`, () => {
    const many = Array.from({ length: MAX_PATCHED_THREADS + 1 }, (_, i) => `thr_${i + 100}`);
    expect(planMailChange(inbox(loaded), change(many), labels)).toEqual({ kind: 'reload' });
    expect(planMailChange(inbox(loaded), change(many.slice(1)), labels).kind).toBe('fetch');
  });
});

describe('patchThreads', () => {
  it('updates a shown thread in place: same row, new summary', () => {
    const read = thread(4, 18, ['lbl_1', 'lbl_3'], { unread_count: 0, is_starred: true, subject: 'Renamed' });
    const list = patchThreads(inbox(loaded), ['thr_4'], [read], labels);
    expect(list.ids).toEqual(['thr_5', 'thr_4', 'thr_3']);
    expect(list.threads.thr_4).toEqual(read);
  });

  it('keeps the same rows array when only summaries changed (the list itself does not re-render)', () => {
    const before = inbox(loaded);
    expect(patchThreads(before, ['thr_4'], [thread(4, 18, ['lbl_1'], { unread_count: 1 })], labels).ids).toBe(before.ids);
  });

  it('takes a thread out of the label view when its labels no longer include it (archived elsewhere)', () => {
    const list = patchThreads(inbox(loaded), ['thr_4'], [thread(4, 18, ['lbl_3'])], labels);
    expect(list.ids).toEqual(['thr_5', 'thr_3']);
    expect(list.threads.thr_4).toBeUndefined();
  });

  it("matches a role across accounts: another account's inbox folder keeps a thread in the unified inbox", () => {
    const list = patchThreads(inbox(loaded), ['thr_4'], [thread(4, 18, ['lbl_9'])], labels);
    expect(list.ids).toEqual(['thr_5', 'thr_4', 'thr_3']);
  });

  it('inserts a thread that now belongs to the view at its date', () => {
    const list = patchThreads(inbox(loaded), ['thr_8', 'thr_9'], [thread(8, 19), thread(9, 25)], labels);
    expect(list.ids).toEqual(['thr_9', 'thr_5', 'thr_8', 'thr_4', 'thr_3']);
    expect(list.threads.thr_8?.id).toBe('thr_8');
  });

  it('orders threads of the same time by id, newest id first, as the core does', () => {
    const list = patchThreads(inbox(loaded), ['thr_40'], [thread(40, 18)], labels);
    expect(list.ids).toEqual(['thr_5', 'thr_40', 'thr_4', 'thr_3']);
  });

  it('does not insert a thread older than the last row loaded: it comes with its page', () => {
    const list = patchThreads(inbox(loaded), ['thr_8'], [thread(8, 2)], labels);
    expect(list.ids).toEqual(['thr_5', 'thr_4', 'thr_3']);
    expect(list.threads.thr_8).toBeUndefined();
  });

  it('inserts an older thread too when every page is loaded (no page would bring it)', () => {
    const list = patchThreads(inbox(loaded, true), ['thr_8'], [thread(8, 2)], labels);
    expect(list.ids).toEqual(['thr_5', 'thr_4', 'thr_3', 'thr_8']);
  });

  it('moves a thread to the top when new mail makes it the newest', () => {
    const list = patchThreads(inbox(loaded), ['thr_3'], [thread(3, 28, ['lbl_1'], { message_count: 2 })], labels);
    expect(list.ids).toEqual(['thr_3', 'thr_5', 'thr_4']);
    expect(list.threads.thr_3?.message_count).toBe(2);
  });

  it('ignores threads that are not shown and do not belong to the view', () => {
    const before = inbox(loaded);
    const list = patchThreads(before, ['thr_8'], [thread(8, 25, ['lbl_3'])], labels);
    expect(list.ids).toEqual(before.ids);
    expect(list.threads).toEqual(before.threads);
  });

  it('ignores ids the core does not know that the list never showed, and drops shown ones it no longer has', () => {
    const before = inbox(loaded);
    expect(patchThreads(before, ['thr_77'], [], labels)).toBe(before);
    expect(patchThreads(before, ['thr_4'], [], labels).ids).toEqual(['thr_5', 'thr_3']);
  });

  it("updates a search's conversations in place; one just moved to Trash or Spam leaves, an archived or gone one as the core says", () => {
    const withBin = [...labels, label('lbl_7', 'trash'), label('lbl_8', 'spam')];
    const search: CachedList = {
      ...inbox([thread(6, 21), thread(5, 20), thread(4, 18), thread(3, 15, ['lbl_7'])]),
      view: { kind: 'search', query: 'budget' },
      hits: { thr_4: { thread_id: 'thr_4' } as SearchHit, thr_6: { thread_id: 'thr_6' } as SearchHit },
    };
    const list = patchThreads(
      search,
      ['thr_3', 'thr_4', 'thr_5', 'thr_6'],
      [
        thread(6, 21, [], { is_starred: true }), // archived and starred: still a result
        thread(5, 20, ['lbl_8']), // reported spam: leaves
        thread(3, 15, ['lbl_7', 'lbl_3']), // in Trash already (the query asked for it): stays
      ],
      withBin,
    );
    expect(list.ids).toEqual(['thr_6', 'thr_3']); // thr_4 is gone from the index
    expect(list.threads.thr_6?.is_starred).toBe(true);
    expect(list.threads.thr_3?.label_ids).toEqual(['lbl_7', 'lbl_3']);
    expect(Object.keys(list.hits)).toEqual(['thr_6']);
  });
});
