import type { ThreadSummary } from '../../shared/api/threads.ts';
import type { ReadableDb } from '../db/openIndex.ts';
import { labelIdsOfThreads, threadRowsByIds } from '../db/queries/threadReads.ts';
import { presentThreadSummary } from './mailPresenters.ts';

/**
 * The summaries of these threads as the mailbox list gives them, by thread id (threads the index
 * no longer has are absent): the ids lookup and the search's conversation rows share them.
 */
export function threadSummariesOf(reader: ReadableDb, threadIds: readonly number[]): Map<number, ThreadSummary> {
  const rows = threadRowsByIds(reader, threadIds);
  const labels = labelIdsOfThreads(
    reader,
    rows.map((row) => row.id),
  );
  return new Map(rows.map((row) => [row.id, presentThreadSummary(row, labels.get(row.id) ?? [])]));
}
