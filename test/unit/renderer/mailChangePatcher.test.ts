import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CachedList } from '../../../renderer/src/mail/applyMailChange.ts';
import { createMailChangePatcher, type PatcherDeps } from '../../../renderer/src/mail/mailChangePatcher.ts';
import type { Label, ThreadSummary } from '../../../shared/api/threads.ts';

const labels = [{ id: 'lbl_1', name: 'Inbox', kind: 'system', account_id: 'acc_1', role: 'inbox' } as Label];

function thread(n: number, day: number, labelIds = ['lbl_1']): ThreadSummary {
  return {
    id: `thr_${n}`,
    account_id: 'acc_1',
    provider_thread_id: `p${n}`,
    subject: `Thread ${n}`,
    snippet: '',
    last_message_at: new Date(Date.UTC(2026, 10, day)).toISOString(),
    message_count: 1,
    unread_count: 1,
    has_attachments: false,
    is_starred: false,
    participants: [],
    recipients: [],
    label_ids: labelIds,
  };
}

/** A promise settled from outside: an answer the test releases when it chooses. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The inbox with three threads loaded and more pages after them, as the list store would hold it. */
function listHolder() {
  const loaded = [thread(5, 20), thread(4, 18), thread(3, 15)];
  let list: CachedList = {
    view: { kind: 'label', label: 'inbox', title: 'Inbox' },
    threads: Object.fromEntries(loaded.map((t) => [t.id, t])),
    ids: loaded.map((t) => t.id),
    hits: {},
    nextCursor: 'more',
    pagedTo: { id: 'thr_3', last_message_at: loaded[2]?.last_message_at ?? '' },
  };
  let loading = false;
  const deps = {
    list: () => list,
    apply: (next: CachedList) => {
      list = next;
    },
    loading: () => loading,
    labels: () => labels,
    learnLabels: vi.fn(async () => {}),
    fetchByIds: vi.fn<PatcherDeps['fetchByIds']>(async () => []),
    reload: vi.fn(),
  } satisfies PatcherDeps;
  return {
    deps,
    ids: () => list.ids,
    threads: () => list.threads,
    setLoading: (on: boolean) => {
      loading = on;
    },
  };
}

const change = (ids: string[], what: Array<'messages' | 'flags' | 'labels'> = ['messages'], removed: string[] = []) => ({
  thread_ids: ids,
  removed_thread_ids: removed,
  what,
});

describe('the mail.changed patcher of the list cache', () => {
  let holder: ReturnType<typeof listHolder>;
  beforeEach(() => {
    holder = listHolder();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fetches the touched threads by id and patches them in', async () => {
    holder.deps.fetchByIds.mockResolvedValue([{ ...thread(4, 18), unread_count: 0 }, thread(9, 25)]);
    createMailChangePatcher(holder.deps).changed(change(['thr_4', 'thr_9']));
    await settle();
    expect(holder.deps.fetchByIds).toHaveBeenCalledWith(['thr_4', 'thr_9']);
    expect(holder.ids()).toEqual(['thr_9', 'thr_5', 'thr_4', 'thr_3']);
    expect(holder.threads().thr_4?.unread_count).toBe(0);
    expect(holder.deps.reload).not.toHaveBeenCalled();
  });

  it('asks 100 ids a request', async () => {
    const many = Array.from({ length: 250 }, (_, i) => `thr_${i + 100}`);
    createMailChangePatcher(holder.deps).changed(change(many));
    await settle();
    expect(holder.deps.fetchByIds.mock.calls.map(([ids]) => ids.length)).toEqual([100, 100, 50]);
  });

  it('asks nothing for a change of flags on threads the list does not show', async () => {
    createMailChangePatcher(holder.deps).changed(change(['thr_77'], ['flags']));
    await settle();
    expect(holder.deps.fetchByIds).not.toHaveBeenCalled();
  });

  it('takes removed threads out at once, without asking', () => {
    createMailChangePatcher(holder.deps).changed(change([], ['messages'], ['thr_4']));
    expect(holder.ids()).toEqual(['thr_5', 'thr_3']);
    expect(holder.deps.fetchByIds).not.toHaveBeenCalled();
  });

  it('runs one patch at a time: touches arriving meanwhile follow in one more request', async () => {
    const first = deferred<ThreadSummary[]>();
    holder.deps.fetchByIds.mockReturnValueOnce(first.promise).mockResolvedValue([thread(3, 15), thread(5, 20)]);
    const patcher = createMailChangePatcher(holder.deps);
    patcher.changed(change(['thr_4'], ['flags']));
    patcher.changed(change(['thr_3'], ['flags']));
    patcher.changed(change(['thr_5'], ['flags']));
    expect(holder.deps.fetchByIds).toHaveBeenCalledTimes(1);
    first.resolve([thread(4, 18)]);
    await settle();
    expect(holder.deps.fetchByIds).toHaveBeenCalledTimes(2);
    expect(holder.deps.fetchByIds).toHaveBeenLastCalledWith(['thr_3', 'thr_5']);
  });

  it('does not bring back a thread removed while a patch that read it was under way', async () => {
    const answer = deferred<ThreadSummary[]>();
    holder.deps.fetchByIds.mockReturnValueOnce(answer.promise);
    const patcher = createMailChangePatcher(holder.deps);
    patcher.changed(change(['thr_4'], ['labels']));
    patcher.changed(change([], ['messages'], ['thr_4']));
    expect(holder.ids()).toEqual(['thr_5', 'thr_3']);
    answer.resolve([thread(4, 18)]);
    await settle();
    expect(holder.ids()).toEqual(['thr_5', 'thr_3']);
  });

  it('reloads the loaded rows once, after a pause, for changes too large to patch (a first full sync)', async () => {
    vi.useFakeTimers();
    const many = Array.from({ length: 400 }, (_, i) => `thr_${i + 100}`);
    const patcher = createMailChangePatcher(holder.deps);
    patcher.changed(change(many));
    patcher.changed(change(many));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(holder.deps.fetchByIds).not.toHaveBeenCalled();
    expect(holder.deps.reload).toHaveBeenCalledTimes(1);
  });

  it('keeps touches that arrive while a page loads until it is in, then patches them', async () => {
    holder.deps.fetchByIds.mockResolvedValue([thread(9, 25)]);
    holder.setLoading(true);
    const patcher = createMailChangePatcher(holder.deps);
    patcher.changed(change(['thr_9']));
    await settle();
    expect(holder.deps.fetchByIds).not.toHaveBeenCalled();
    holder.setLoading(false);
    await patcher.flush();
    expect(holder.ids()).toEqual(['thr_9', 'thr_5', 'thr_4', 'thr_3']);
  });

  it('reads the labels again before placing a thread that carries one it does not know (a new account)', async () => {
    holder.deps.fetchByIds.mockResolvedValue([thread(9, 25, ['lbl_1', 'lbl_42'])]);
    createMailChangePatcher(holder.deps).changed(change(['thr_9']));
    await settle();
    expect(holder.deps.learnLabels).toHaveBeenCalledTimes(1);
  });

  it('keeps the rows when the lookup fails', async () => {
    holder.deps.fetchByIds.mockRejectedValue(new Error('offline'));
    createMailChangePatcher(holder.deps).changed(change(['thr_4']));
    await settle();
    expect(holder.ids()).toEqual(['thr_5', 'thr_4', 'thr_3']);
  });
});
