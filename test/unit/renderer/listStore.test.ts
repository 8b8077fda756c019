import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../../renderer/src/apiClient.ts';
import { useLabelStore } from '../../../renderer/src/mail/labelStore.ts';
import { useListStore } from '../../../renderer/src/mail/listStore.ts';
import type { Label, ThreadListResponse, ThreadSummary } from '../../../shared/api/threads.ts';

const inboxLabel = { id: 'lbl_1', name: 'Inbox', kind: 'system', account_id: 'acc_1', role: 'inbox' } as Label;

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

const page = (threads: ThreadSummary[], next: string | null = null): ThreadListResponse => ({ data: threads, next_cursor: next });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('listStore: the cache patched from mail.changed', () => {
  beforeEach(async () => {
    useLabelStore.setState({ labels: [inboxLabel] });
    vi.spyOn(api, 'listLabels').mockResolvedValue({ data: [inboxLabel] });
    vi.spyOn(api, 'listAccounts').mockResolvedValue({ data: [] });
    vi.spyOn(api, 'listThreads').mockResolvedValue(page([thread(5, 20), thread(4, 18), thread(3, 15)], 'more'));
    await useListStore.getState().showLabel('inbox', 'Inbox');
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('fetches the touched threads by id and patches them in, without listing the label again', async () => {
    const byIds = vi.spyOn(api, 'threadsByIds').mockResolvedValue(page([{ ...thread(4, 18), unread_count: 0 }, thread(9, 25)]));
    useListStore.getState().mailChanged({ thread_ids: ['thr_4', 'thr_9'], removed_thread_ids: [], what: ['messages'] });
    await settle();
    expect(byIds).toHaveBeenCalledWith(['thr_4', 'thr_9']);
    expect(api.listThreads).toHaveBeenCalledTimes(1);
    expect(useListStore.getState().ids).toEqual(['thr_9', 'thr_5', 'thr_4', 'thr_3']);
    expect(useListStore.getState().threads.thr_4?.unread_count).toBe(0);
  });

  it('asks nothing for a change of flags on threads the list does not show', async () => {
    const byIds = vi.spyOn(api, 'threadsByIds');
    useListStore.getState().mailChanged({ thread_ids: ['thr_77'], removed_thread_ids: [], what: ['flags'] });
    await settle();
    expect(byIds).not.toHaveBeenCalled();
  });

  it('runs one patch at a time: touches arriving meanwhile follow in one more request', async () => {
    const first = deferred<ThreadListResponse>();
    const byIds = vi
      .spyOn(api, 'threadsByIds')
      .mockReturnValueOnce(first.promise)
      .mockResolvedValue(page([thread(3, 15), thread(5, 20)]));
    useListStore.getState().mailChanged({ thread_ids: ['thr_4'], removed_thread_ids: [], what: ['flags'] });
    useListStore.getState().mailChanged({ thread_ids: ['thr_3'], removed_thread_ids: [], what: ['flags'] });
    useListStore.getState().mailChanged({ thread_ids: ['thr_5'], removed_thread_ids: [], what: ['flags'] });
    expect(byIds).toHaveBeenCalledTimes(1);
    first.resolve(page([thread(4, 18)]));
    await settle();
    expect(byIds).toHaveBeenCalledTimes(2);
    expect(byIds).toHaveBeenLastCalledWith(['thr_3', 'thr_5']);
  });

  it('does not bring back a thread removed while a patch that read it was under way', async () => {
    const answer = deferred<ThreadListResponse>();
    vi.spyOn(api, 'threadsByIds').mockReturnValueOnce(answer.promise);
    useListStore.getState().mailChanged({ thread_ids: ['thr_4'], removed_thread_ids: [], what: ['labels'] });
    useListStore.getState().mailChanged({ thread_ids: [], removed_thread_ids: ['thr_4'], what: ['messages'] });
    expect(useListStore.getState().ids).toEqual(['thr_5', 'thr_3']);
    answer.resolve(page([thread(4, 18)]));
    await settle();
    expect(useListStore.getState().ids).toEqual(['thr_5', 'thr_3']);
  });

  it('reloads the loaded rows once, after a pause, for changes too large to patch', async () => {
    vi.useFakeTimers();
    const byIds = vi.spyOn(api, 'threadsByIds');
    const many = Array.from({ length: 400 }, (_, i) => `thr_${i + 100}`);
    useListStore.getState().mailChanged({ thread_ids: many, removed_thread_ids: [], what: ['messages'] });
    useListStore.getState().mailChanged({ thread_ids: many, removed_thread_ids: [], what: ['messages'] });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(byIds).not.toHaveBeenCalled();
    expect(api.listThreads).toHaveBeenCalledTimes(2); // the first page, then the one reload
  });

  it('keeps touches that arrive while a page loads until it is in, then patches them', async () => {
    const loading = deferred<ThreadListResponse>();
    vi.mocked(api.listThreads).mockReturnValueOnce(loading.promise);
    const byIds = vi.spyOn(api, 'threadsByIds').mockResolvedValue(page([thread(9, 25)]));
    const shown = useListStore.getState().showLabel('inbox', 'Inbox');
    useListStore.getState().mailChanged({ thread_ids: ['thr_9'], removed_thread_ids: [], what: ['messages'] });
    await settle();
    expect(byIds).not.toHaveBeenCalled();
    loading.resolve(page([thread(5, 20)]));
    await shown;
    await settle();
    expect(useListStore.getState().ids).toEqual(['thr_9', 'thr_5']);
  });
});
