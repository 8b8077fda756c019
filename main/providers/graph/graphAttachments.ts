import type { ReadableDb } from '../../db/handles.ts';
import { storedAttachmentsOf } from '../../db/queries/attachments.ts';
import type { AttachmentInput } from '../../db/queries/messageWrites.ts';
import type { GraphClient } from './graphClient.ts';
import type { GraphAttachment, GraphMessage } from './graphMessages.ts';

/** Everything about an attachment but its bytes. */
const METADATA = 'id,name,contentType,size,isInline,contentId';
const FILE_ATTACHMENT = '#microsoft.graph.fileAttachment';

export interface GraphAttachmentContext {
  db: ReadableDb;
  client: GraphClient;
  accountId: string;
  attachmentSizeCap: number;
}

/**
 * A message's attachments for the index, asking Graph for as little as it can:
 * - a message already indexed that is not a draft keeps the attachments it has
 *   (Outlook never changes those of a sent or received message), so a flag, read,
 *   category or folder change in a delta costs no attachment request at all;
 * - otherwise their metadata is listed (no bytes), and only a file attachment
 *   within the size cap by that metadata, not already stored for the same part,
 *   is downloaded, on its own. Over the cap nothing is downloaded: the index
 *   keeps its name and size.
 * Attachments handed back without bytes keep whatever the index stored for their
 * part (the write path keeps a part's blob while it is the same file).
 */
export async function graphAttachmentsOf(ctx: GraphAttachmentContext, message: GraphMessage): Promise<GraphAttachment[]> {
  if (!message.hasAttachments) return [];
  const stored = storedAttachmentsOf(ctx.db, ctx.accountId, message.id);
  if (stored && !stored.isDraft && message.isDraft !== true && stored.attachments.length > 0)
    return stored.attachments.map(asGraphAttachment);
  const messagePath = `/me/messages/${encodeURIComponent(message.id)}/attachments`;
  const listed: { value: GraphAttachment[] } = await ctx.client.request(`${messagePath}?$select=${METADATA}`);
  const out: GraphAttachment[] = [];
  for (const [partIndex, listedAttachment] of listed.value.entries()) {
    const { contentBytes: _ignored, ...attachment } = listedAttachment;
    const kept = stored?.attachments.find(
      (s) => s.partIndex === partIndex && s.remoteId === attachment.id && s.blobSha256 !== null,
    );
    if (kept) {
      out.push(asGraphAttachment(kept));
      continue;
    }
    const isFile = (attachment['@odata.type'] ?? FILE_ATTACHMENT) === FILE_ATTACHMENT;
    if (!isFile || (attachment.size ?? 0) > ctx.attachmentSizeCap) {
      out.push(attachment);
      continue;
    }
    const full: GraphAttachment = await ctx.client.request(`${messagePath}/${encodeURIComponent(attachment.id)}`);
    out.push({ ...attachment, contentBytes: full.contentBytes });
  }
  return out;
}

/** A stored attachment as Graph would describe it, without bytes (its stored blob stays). */
function asGraphAttachment(stored: AttachmentInput): GraphAttachment {
  return {
    id: stored.remoteId ?? '',
    name: stored.filename,
    contentType: stored.mimeType,
    size: stored.sizeBytes,
    isInline: stored.isInline,
    contentId: stored.contentId,
  };
}
