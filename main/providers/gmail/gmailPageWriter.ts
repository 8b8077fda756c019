import type { BlobStore } from '../../db/blobStore.ts';
import type { MessageInput, MessageState } from '../../db/queries/messageWrites.ts';
import { parseRfc822 } from '../../mail/parseRfc822.ts';
import { toMessageInput } from '../../mail/toMessageInput.ts';
import type { FetchedMessage } from './gmailFetch.ts';
import type { GmailLabelMap } from './gmailLabelSync.ts';

/** Gmail's labels on a message -> the index's flags and label rows. */
export function messageState(labels: GmailLabelMap, gmailLabelIds: readonly string[]): MessageState {
  const has = (id: string) => gmailLabelIds.includes(id);
  return {
    labelIds: labels.rowIdsOf(gmailLabelIds),
    isUnread: has('UNREAD'),
    isStarred: has('STARRED'),
    isImportant: has('IMPORTANT'),
    isDraft: has('DRAFT'),
  };
}

/**
 * Parses fetched raw messages into index rows. Parsing happens before the
 * page's transaction opens, so the write lock is held only for the writes.
 */
export async function toMessageInputs(
  fetched: Iterable<FetchedMessage>,
  labels: GmailLabelMap,
  storage: { blobs: BlobStore; attachmentSizeCap: number },
): Promise<MessageInput[]> {
  const inputs: MessageInput[] = [];
  let sinceYield = 0;
  for (const message of fetched) {
    if (!message.raw) continue;
    // Parsing resolves through microtasks only; let timers and sockets run now and
    // then, so the requests paced for the next page keep going out meanwhile.
    if (++sinceYield === 10) {
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const parsed = await parseRfc822(message.raw);
    const state = messageState(labels, message.labelIds);
    inputs.push(
      toMessageInput(
        parsed,
        {
          remoteId: message.id,
          threadRemoteId: message.threadId,
          receivedAt: message.internalDate,
          sizeBytes: message.sizeEstimate || message.raw.byteLength,
          ...state,
        },
        { ...storage, raw: message.raw },
      ),
    );
  }
  return inputs;
}
