import type { BlobStore } from '../db/blobStore.ts';
import type { AttachmentInput, MessageInput } from '../db/queries/messageWrites.ts';
import { makeSnippet, type ParsedMessage } from './parseRfc822.ts';

export interface RemoteMessageFacts {
  remoteId: string;
  threadRemoteId: string;
  /** Provider's receive time (Gmail internalDate, Graph receivedDateTime): how providers order mail; null for imports. */
  receivedAt: number | null;
  labelIds: number[];
  isUnread: boolean;
  isStarred: boolean;
  isImportant: boolean;
  isDraft: boolean;
  sizeBytes: number;
}

/**
 * A parsed RFC 822 message plus the provider's facts about it -> one index
 * row. Attachment bytes under the cap go to the content-addressed store; raw
 * bytes are kept when given (offline .eml download).
 */
export function toMessageInput(
  parsed: ParsedMessage,
  facts: RemoteMessageFacts,
  storage: { blobs: BlobStore; attachmentSizeCap: number; raw?: Uint8Array },
): MessageInput {
  const attachments: AttachmentInput[] = parsed.attachments.map((a, partIndex) => ({
    partIndex,
    remoteId: null,
    filename: a.filename,
    mimeType: a.mimeType,
    sizeBytes: a.content.byteLength,
    contentId: a.contentId,
    isInline: a.isInline,
    blobSha256: a.content.byteLength <= storage.attachmentSizeCap ? storage.blobs.put(a.content) : null,
  }));
  return {
    remoteId: facts.remoteId,
    threadRemoteId: facts.threadRemoteId,
    rfc822MessageId: parsed.rfc822MessageId,
    inReplyTo: parsed.inReplyTo,
    references: parsed.references,
    subject: parsed.subject,
    from: parsed.from,
    to: parsed.to,
    cc: parsed.cc,
    bcc: parsed.bcc,
    replyTo: parsed.replyTo,
    sentAt: facts.receivedAt ?? parsed.date ?? 0,
    snippet: makeSnippet(parsed.text),
    bodyText: parsed.text,
    bodyHtml: parsed.html,
    searchableText: parsed.searchableText,
    mailingLists: parsed.lists,
    deliveredTo: parsed.deliveredTo,
    sizeBytes: facts.sizeBytes,
    isUnread: facts.isUnread,
    isStarred: facts.isStarred,
    isImportant: facts.isImportant,
    isDraft: facts.isDraft,
    rawSha256: storage.raw ? storage.blobs.put(storage.raw) : null,
    attachments,
    labelIds: facts.labelIds,
  };
}
