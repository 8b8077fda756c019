import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Log } from '../core/log.ts';
import type { BlobStore } from '../db/blobStore.ts';
import type { WritableDb } from '../db/handles.ts';
import { messagesToReindex, searchableText, setSearchableTexts } from '../db/queries/searchableText.ts';
import { parseRfc822 } from './parseRfc822.ts';

export interface ReindexOptions {
  /** Messages parsed per transaction; the event loop runs between batches. */
  batchSize: number;
  /** Stops after the batch under way (the rest waits for the next run). */
  signal?: AbortSignal;
  /** Called after each committed batch with the number read again so far. */
  onProgress?: (done: number) => void;
}

const NO_LISTS = { mailingLists: [], deliveredTo: [] };

/**
 * Gives messages stored before migration 018 what search now finds in them
 * (the HTML alternative, bounce reports, attachment names), and those stored
 * before 021 their mailing lists and Delivered-To addresses: reads each one's
 * kept raw message again, batch by batch, each batch committed on its own.
 * Resumable by construction: what is left is exactly the rows still NULL, so
 * a run stopped (abort, crash, quit) carries on where it was at the next start.
 * A raw message that cannot be read (its file gone, say) is logged and keeps
 * its attachments' names, so it is never tried again.
 */
export async function reindexStoredMessages(
  deps: { db: WritableDb; blobs: BlobStore; log: Log },
  options: ReindexOptions,
): Promise<{ reindexed: number }> {
  const started = Date.now();
  let reindexed = 0;
  while (!options.signal?.aborted) {
    const batch = messagesToReindex(deps.db, options.batchSize);
    if (batch.length === 0) break;
    const texts: Parameters<typeof setSearchableTexts>[1][number][] = [];
    for (const message of batch) {
      const headersOf = (lists: { mailingLists: string[]; deliveredTo: string[] }) =>
        message.headers_to_read ? lists : undefined;
      try {
        if (!message.raw_sha256) throw new Error('no raw message kept');
        const parsed = await parseRfc822(deps.blobs.read(message.raw_sha256));
        texts.push({
          id: message.id,
          text: searchableText(parsed.searchableText, parsed.attachments),
          headers: headersOf({ mailingLists: parsed.lists, deliveredTo: parsed.deliveredTo }),
        });
      } catch (error) {
        deps.log.warn({ messageId: message.id, reason: (error as Error).message }, 'message not read again for search');
        texts.push({ id: message.id, text: searchableText('', message.attachments), headers: headersOf(NO_LISTS) });
      }
    }
    setSearchableTexts(deps.db, texts);
    reindexed += texts.length;
    options.onProgress?.(reindexed);
    await yieldToEventLoop();
  }
  if (reindexed > 0) deps.log.info({ reindexed, ms: Date.now() - started }, 'stored messages read again for search');
  return { reindexed };
}
