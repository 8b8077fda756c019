/** Gmail users.messages.* (and attachments.get), as in the v1 discovery document. */
import type { EmulatorRequest, Route } from '../kit/types.ts';
import { base64url } from './encoding.ts';
import { badRequest, googleError, notFound } from './errors.ts';
import {
  byGmailId,
  GMAIL_SCOPES,
  type GmailDeps,
  jsonBody,
  listPage,
  openMailbox,
  refuseUnderMetadataScope,
} from './gmailAccess.ts';
import { gmailId, type Mailbox, type StoredMessage } from './mailbox.ts';
import { attachmentOf, readFormat, renderMessage } from './messageView.ts';
import { compileQuery } from './searchQuery.ts';

const P = '/gmail/v1/users/:userId/messages';

export function labelList(box: Mailbox, value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw badRequest(`Invalid value for ${field}`);
  for (const id of value) if (typeof id !== 'string' || !box.labels.has(id)) throw badRequest(`Invalid label: ${String(id)}`);
  return value as string[];
}

export function decodeRaw(value: unknown): Buffer {
  if (typeof value !== 'string' || value.length === 0)
    throw badRequest("'raw' RFC822 payload message string or uploading message via /upload/* URL required");
  return Buffer.from(value.replace(/\+/g, '-').replace(/\//g, '_'), 'base64url');
}

/** Messages matching list filters, newest first (shared by messages.list and threads.list). */
export function filterMessages(box: Mailbox, req: EmulatorRequest): StoredMessage[] {
  const labelIds = req.url.searchParams.getAll('labelIds');
  const q = req.url.searchParams.get('q') ?? '';
  const query = q ? compileQuery(q) : undefined;
  const includeSpamTrash =
    req.url.searchParams.get('includeSpamTrash') === 'true' ||
    query?.mentionsSpamTrash === true ||
    labelIds.some((l) => l === 'SPAM' || l === 'TRASH');
  return box
    .sorted()
    .filter(
      (m) =>
        (includeSpamTrash || (!m.labelIds.includes('SPAM') && !m.labelIds.includes('TRASH'))) &&
        labelIds.every((l) => m.labelIds.includes(l)) &&
        (!query || query.test(m, box)),
    );
}

export function gmailMessageRoutes(deps: GmailDeps): Route[] {
  const open = (req: EmulatorRequest, endpoint: string, scopes: readonly string[]) =>
    openMailbox(deps, req, endpoint, scopes).box;
  const find = (box: Mailbox, id: string | undefined) => byGmailId(box.messages, id);

  return [
    {
      method: 'GET',
      path: P,
      endpoint: 'gmail.users.messages.list',
      handler: (req) => {
        const { box, scopes } = openMailbox(deps, req, 'gmail.users.messages.list', GMAIL_SCOPES.read);
        refuseUnderMetadataScope(scopes, { q: req.url.searchParams.get('q') });
        const body = listPage(req, filterMessages(box, req), 'messages', (m) => ({ id: m.id, threadId: m.threadId }));
        return { status: 200, body };
      },
    },
    {
      method: 'GET',
      path: `${P}/:id`,
      endpoint: 'gmail.users.messages.get',
      handler: (req) => {
        const format = readFormat(req.url.searchParams.get('format'));
        const { box, scopes } = openMailbox(deps, req, 'gmail.users.messages.get', GMAIL_SCOPES.messageRead);
        refuseUnderMetadataScope(scopes, { format });
        return {
          status: 200,
          body: renderMessage(find(box, req.params.id), format, req.url.searchParams.getAll('metadataHeaders'), deps.encoding),
        };
      },
    },
    {
      method: 'GET',
      path: `${P}/:messageId/attachments/:id`,
      endpoint: 'gmail.users.messages.attachments.get',
      handler: (req) => {
        const box = open(req, 'gmail.users.messages.attachments.get', GMAIL_SCOPES.messageContent);
        const att = attachmentOf(find(box, req.params.messageId), req.params.id ?? '');
        if (!att) throw googleError(400, 'invalidArgument', 'Invalid attachment token');
        return { status: 200, body: { size: att.data.length, data: base64url(att.data, deps.encoding.dataPadded) } };
      },
    },
    {
      method: 'POST',
      path: `${P}/:id/modify`,
      endpoint: 'gmail.users.messages.modify',
      handler: (req) => {
        const box = open(req, 'gmail.users.messages.modify', GMAIL_SCOPES.modify);
        const body = jsonBody(req);
        const msg = find(box, req.params.id);
        box.modify(msg, labelList(box, body.addLabelIds, 'addLabelIds'), labelList(box, body.removeLabelIds, 'removeLabelIds'));
        // Gmail's modify answers the Message with only id, threadId and labelIds (no snippet, historyId, sizeEstimate).
        return { status: 200, body: labelView(msg) };
      },
    },
    {
      method: 'POST',
      path: `${P}/batchModify`,
      endpoint: 'gmail.users.messages.batchModify',
      handler: (req) => {
        const box = open(req, 'gmail.users.messages.batchModify', GMAIL_SCOPES.modify);
        const body = jsonBody(req);
        const ids = batchIds(body);
        const add = labelList(box, body.addLabelIds, 'addLabelIds');
        const remove = labelList(box, body.removeLabelIds, 'removeLabelIds');
        for (const id of ids) {
          const msg = box.messages.get(String(id));
          if (msg) box.modify(msg, add, remove);
        }
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: `${P}/batchDelete`,
      endpoint: 'gmail.users.messages.batchDelete',
      handler: (req) => {
        const box = open(req, 'gmail.users.messages.batchDelete', GMAIL_SCOPES.delete);
        // "Provides no guarantees that messages were not already deleted or even existed at all": unknown ids pass.
        for (const id of batchIds(jsonBody(req))) {
          const msg = box.messages.get(String(id));
          if (msg) box.delete(msg);
        }
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: `${P}/:id/trash`,
      endpoint: 'gmail.users.messages.trash',
      handler: (req) => {
        const box = open(req, 'gmail.users.messages.trash', GMAIL_SCOPES.modify);
        const msg = find(box, req.params.id);
        box.modify(msg, ['TRASH'], ['SPAM']);
        return { status: 200, body: renderMessage(msg, 'minimal') };
      },
    },
    {
      method: 'POST',
      path: `${P}/:id/untrash`,
      endpoint: 'gmail.users.messages.untrash',
      handler: (req) => {
        const box = open(req, 'gmail.users.messages.untrash', GMAIL_SCOPES.modify);
        const msg = find(box, req.params.id);
        box.modify(msg, [], ['TRASH']);
        return { status: 200, body: renderMessage(msg, 'minimal') };
      },
    },
    {
      method: 'DELETE',
      path: `${P}/:id`,
      endpoint: 'gmail.users.messages.delete',
      handler: (req) => {
        const box = open(req, 'gmail.users.messages.delete', GMAIL_SCOPES.delete);
        box.delete(find(box, req.params.id));
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: P,
      endpoint: 'gmail.users.messages.insert',
      handler: (req) => {
        const box = open(req, 'gmail.users.messages.insert', GMAIL_SCOPES.insert);
        const body = jsonBody(req);
        const raw = decodeRaw(body.raw);
        const labelIds = labelList(box, body.labelIds, 'labelIds');
        const msg = box.add({
          raw: () => raw,
          labelIds,
          internalDate: deps.ctx.now(),
          threadId: threadIdFor(box, body.threadId, raw),
        });
        return { status: 200, body: renderMessage(msg, 'minimal') };
      },
    },
    {
      method: 'POST',
      path: `${P}/send`,
      endpoint: 'gmail.users.messages.send',
      handler: (req) => {
        const box = open(req, 'gmail.users.messages.send', GMAIL_SCOPES.send);
        const body = jsonBody(req);
        const raw = decodeRaw(body.raw);
        if (!hasRecipients(raw)) throw badRequest('Invalid To header');
        const stamped = withMessageId(raw);
        // Without threadId Gmail starts a new thread, whatever the headers say.
        const id = gmailId();
        const threadId = threadIdFor(box, body.threadId, stamped) ?? id;
        const msg = box.add({ id, raw: () => stamped, labelIds: ['SENT'], internalDate: deps.ctx.now(), threadId });
        return { status: 200, body: labelView(msg) };
      },
    },
  ];
}

/** The ids of a batchModify or batchDelete: at least one, at most 1000. */
function batchIds(body: Record<string, unknown>): unknown[] {
  const ids = body.ids;
  if (!Array.isArray(ids) || ids.length === 0) throw badRequest('No message ids specified.');
  if (ids.length > 1000) throw badRequest('Too many ids specified, maximum is 1000.');
  return ids;
}

export function labelView(msg: StoredMessage): Record<string, unknown> {
  return { id: msg.id, threadId: msg.threadId, labelIds: [...msg.labelIds] };
}

function headOf(raw: Buffer): string {
  return raw.subarray(0, Math.max(0, raw.indexOf('\n\n'), raw.indexOf('\r\n\r\n'))).toString('latin1');
}

/** Whether a message names anyone to send it to (a To, Cc or Bcc header with a value). */
export function hasRecipients(raw: Buffer): boolean {
  return /^(to|cc|bcc):([ \t]*\r?\n[ \t]+|[ \t]*)\S/im.test(headOf(raw));
}

/** Gmail adds a Message-ID when the client sent none, so later replies can thread. */
export function withMessageId(raw: Buffer): Buffer {
  if (/^message-id:/im.test(headOf(raw))) return raw;
  return Buffer.concat([
    Buffer.from(`Message-ID: <${Date.now()}.${Math.random().toString(36).slice(2)}@mail.gmail.com>\r\n`),
    raw,
  ]);
}

/** An explicit threadId is honoured only when Gmail's rules (References/In-Reply-To + subject) agree. */
export function threadIdFor(box: Mailbox, requested: unknown, raw: Buffer): string | undefined {
  if (requested !== undefined && (typeof requested !== 'string' || !box.threads.has(requested))) throw notFound();
  if (typeof requested !== 'string') return undefined;
  const text = raw.toString('latin1');
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(text)?.[1] ?? '';
  return box.threadFor(
    { references: header('references'), inReplyTo: header('in-reply-to'), subject: header('subject') },
    requested,
  );
}
