import type { EmailAddress } from '../../../shared/mailModel.ts';
import type { BlobStore } from '../../db/blobStore.ts';
import type { LabelInput, LabelRole } from '../../db/queries/labels.ts';
import type { AttachmentInput, MessageInput } from '../../db/queries/messageWrites.ts';
import { listAndDelivery } from '../../mail/listAndDeliveryHeaders.ts';
import { htmlToPlainText, makeSnippet } from '../../mail/parseRfc822.ts';

/**
 * The message fields Outpost asks Graph for ($select). internetMessageHeaders
 * (returned only when selected) gives List-Id, List-Post and Delivered-To for
 * list: and deliveredto:; Graph leaves it out of messages sent from the mailbox.
 */
export const MESSAGE_SELECT = [
  'id',
  'conversationId',
  'internetMessageId',
  'subject',
  'bodyPreview',
  'body',
  'from',
  'sender',
  'toRecipients',
  'ccRecipients',
  'bccRecipients',
  'replyTo',
  'receivedDateTime',
  'sentDateTime',
  'isRead',
  'isDraft',
  'flag',
  'importance',
  'categories',
  'hasAttachments',
  'parentFolderId',
  'inferenceClassification',
  'internetMessageHeaders',
].join(',');

export interface GraphRecipient {
  emailAddress?: { name?: string; address?: string };
}

export interface GraphMessage {
  id: string;
  '@removed'?: { reason?: string };
  conversationId?: string;
  internetMessageId?: string;
  subject?: string | null;
  bodyPreview?: string;
  body?: { contentType?: 'html' | 'text'; content?: string };
  from?: GraphRecipient;
  sender?: GraphRecipient;
  toRecipients?: GraphRecipient[];
  ccRecipients?: GraphRecipient[];
  bccRecipients?: GraphRecipient[];
  replyTo?: GraphRecipient[];
  receivedDateTime?: string;
  sentDateTime?: string;
  isRead?: boolean;
  isDraft?: boolean;
  flag?: { flagStatus?: string };
  importance?: string;
  categories?: string[];
  hasAttachments?: boolean;
  parentFolderId?: string;
  /** Focused Inbox's verdict: focused or other. */
  inferenceClassification?: string;
  internetMessageHeaders?: Array<{ name?: string; value?: string }>;
}

export interface GraphAttachment {
  '@odata.type'?: string;
  id: string;
  name?: string;
  contentType?: string;
  size?: number;
  isInline?: boolean;
  contentId?: string | null;
  contentBytes?: string;
}

const WELL_KNOWN_ROLES: Record<string, LabelRole> = {
  inbox: 'inbox',
  sentitems: 'sent',
  drafts: 'drafts',
  deleteditems: 'trash',
  junkemail: 'spam',
  archive: 'archive',
};

export interface GraphFolder {
  id: string;
  displayName?: string;
  wellKnownName?: string | null;
  childFolderCount?: number;
  parentFolderId?: string | null;
  /** Messages in the folder (Graph's mailFolder.totalItemCount): a full sync's expected total. */
  totalItemCount?: number;
}

export function folderLabel(folder: GraphFolder): LabelInput {
  const role = folder.wellKnownName ? (WELL_KNOWN_ROLES[folder.wellKnownName] ?? null) : null;
  // A top folder's parent is the mailbox root, which is no label: the sidebar shows it at the top.
  return {
    remoteId: folder.id,
    name: folder.displayName ?? folder.id,
    kind: 'folder',
    role,
    parentRemoteId: folder.parentFolderId ?? null,
  };
}

/** Outlook categories share the label model as labels of kind "category", keyed by name. */
export function categoryLabel(name: string): LabelInput {
  return { remoteId: `category:${name}`, name, kind: 'category', role: null };
}

function address(recipient: GraphRecipient | undefined): EmailAddress | null {
  const email = recipient?.emailAddress?.address?.trim().toLowerCase();
  return email ? { name: recipient?.emailAddress?.name?.trim() ?? '', email } : null;
}

function addresses(list: GraphRecipient[] | undefined): EmailAddress[] {
  return (list ?? []).map(address).filter((a): a is EmailAddress => a !== null);
}

/** A Graph message (JSON) -> an index row. Flagged = starred; high importance = important; conversation = thread. */
export function graphMessageInput(
  message: GraphMessage,
  labelIds: number[],
  attachments: readonly GraphAttachment[],
  storage: { blobs: BlobStore; attachmentSizeCap: number },
): MessageInput {
  const isHtml = message.body?.contentType === 'html';
  const content = message.body?.content ?? '';
  const text = isHtml ? htmlToPlainText(content) : content;
  const attachmentInputs: AttachmentInput[] = attachments.map((a, partIndex) => {
    const bytes = a.contentBytes ? Buffer.from(a.contentBytes, 'base64') : null;
    return {
      partIndex,
      remoteId: a.id,
      filename: a.name ?? '',
      mimeType: a.contentType ?? 'application/octet-stream',
      sizeBytes: bytes?.byteLength ?? a.size ?? 0,
      contentId: a.contentId ? a.contentId.replace(/^<|>$/g, '') : null,
      isInline: a.isInline ?? false,
      blobSha256: bytes && bytes.byteLength <= storage.attachmentSizeCap ? storage.blobs.put(bytes) : null,
    };
  });
  const received = Date.parse(message.receivedDateTime ?? message.sentDateTime ?? '');
  const classification = message.inferenceClassification?.toLowerCase();
  // Headers absent (not selected, or a message sent from here): the stored lists stay as they are.
  const headers = message.internetMessageHeaders
    ? listAndDelivery(message.internetMessageHeaders.map((h) => ({ name: h.name ?? '', value: h.value ?? '' })))
    : null;
  return {
    remoteId: message.id,
    threadRemoteId: message.conversationId ?? message.id,
    rfc822MessageId: message.internetMessageId ? message.internetMessageId.replace(/^<|>$/g, '') : null,
    inReplyTo: null,
    references: [],
    subject: message.subject ?? '',
    from: address(message.from ?? message.sender),
    to: addresses(message.toRecipients),
    cc: addresses(message.ccRecipients),
    bcc: addresses(message.bccRecipients),
    replyTo: addresses(message.replyTo),
    sentAt: Number.isNaN(received) ? 0 : received,
    snippet: message.bodyPreview ? makeSnippet(message.bodyPreview) : makeSnippet(text),
    bodyText: text,
    bodyHtml: isHtml ? content : null,
    sizeBytes: Buffer.byteLength(content),
    isUnread: message.isRead === false,
    isStarred: message.flag?.flagStatus === 'flagged',
    isImportant: message.importance === 'high',
    isDraft: message.isDraft === true,
    inferenceClassification: classification === 'focused' || classification === 'other' ? classification : null,
    ...(headers ? { mailingLists: headers.lists, deliveredTo: headers.deliveredTo } : {}),
    rawSha256: null,
    attachments: attachmentInputs,
    labelIds,
  };
}
