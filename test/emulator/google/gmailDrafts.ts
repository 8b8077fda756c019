/**
 * Gmail users.drafts.*, as in the v1 discovery document. A draft is an id pointing at one message that
 * carries the DRAFT label: create adds that message (messageAdded), update replaces it with a new one
 * (messageDeleted + messageAdded, the draft id kept), delete removes it (messageDeleted), and send deletes
 * the draft and its message and adds a new message with a new id and the SENT label (messageDeleted +
 * messageAdded), in the same thread: Google's drafts guide ("Working with Drafts") says so.
 */
import { randomBytes } from 'node:crypto';
import type { EmulatorRequest, Route } from '../kit/types.ts';
import { badRequest, notFound } from './errors.ts';
import { GMAIL_SCOPES, type GmailDeps, jsonBody, listPage, openMailbox } from './gmailAccess.ts';
import { decodeRaw, filterMessages, hasRecipients, labelView, threadIdFor, withMessageId } from './gmailMessages.ts';
import type { Mailbox, StoredMessage } from './mailbox.ts';
import { readFormat, renderMessage } from './messageView.ts';

const P = '/gmail/v1/users/:userId/drafts';

/** Gmail's draft ids: "r" and a signed 64-bit decimal (r5019331921817638435, r-7934858519473098135). */
function draftId(): string {
  return `r${BigInt.asIntN(64, randomBytes(8).readBigUInt64BE()).toString()}`;
}

/** The Draft resource's message field from a request body: raw is required, threadId optional. */
function draftMessage(body: Record<string, unknown>): { raw: Buffer; threadId: unknown } {
  const message = body.message;
  const fields = message && typeof message === 'object' ? (message as Record<string, unknown>) : {};
  return { raw: withMessageId(decodeRaw(fields.raw)), threadId: fields.threadId };
}

export function gmailDraftRoutes(deps: GmailDeps): Route[] {
  const open = (req: EmulatorRequest, endpoint: string, scopes: readonly string[]) =>
    openMailbox(deps, req, endpoint, scopes).box;

  const draftOf = (box: Mailbox, id: string | undefined): { id: string; msg: StoredMessage } => {
    const msg = box.messages.get(box.drafts.get(id ?? '') ?? '');
    if (!id || !msg) throw notFound();
    return { id, msg };
  };

  /** Adds the draft's message (DRAFT label) and points the draft at it. */
  const store = (box: Mailbox, id: string, content: { raw: Buffer; threadId: unknown }): StoredMessage => {
    const { raw } = content;
    const msg = box.add({
      raw: () => raw,
      labelIds: ['DRAFT'],
      internalDate: deps.ctx.now(),
      threadId: threadIdFor(box, content.threadId, raw),
    });
    box.drafts.set(id, msg.id);
    return msg;
  };

  /** Replaces a draft's message with a new one, as Gmail does on update (the old message id is gone). */
  const replace = (box: Mailbox, id: string, old: StoredMessage, body: Record<string, unknown>): StoredMessage => {
    const content = draftMessage(body);
    box.delete(old);
    return store(box, id, content);
  };

  return [
    {
      method: 'GET',
      path: P,
      endpoint: 'gmail.users.drafts.list',
      handler: (req) => {
        const box = open(req, 'gmail.users.drafts.list', GMAIL_SCOPES.draftsRead);
        const draftOfMessage = new Map([...box.drafts].map(([d, m]) => [m, d]));
        const all = filterMessages(box, req).filter((m) => draftOfMessage.has(m.id));
        const body = listPage(req, all, 'drafts', (m) => ({
          id: draftOfMessage.get(m.id),
          message: { id: m.id, threadId: m.threadId },
        }));
        return { status: 200, body };
      },
    },
    {
      method: 'GET',
      path: `${P}/:id`,
      endpoint: 'gmail.users.drafts.get',
      handler: (req) => {
        const format = readFormat(req.url.searchParams.get('format'));
        const box = open(req, 'gmail.users.drafts.get', GMAIL_SCOPES.draftsRead);
        const { id, msg } = draftOf(box, req.params.id);
        return { status: 200, body: { id, message: renderMessage(msg, format, [], deps.encoding) } };
      },
    },
    {
      method: 'POST',
      path: P,
      endpoint: 'gmail.users.drafts.create',
      handler: (req) => {
        const box = open(req, 'gmail.users.drafts.create', GMAIL_SCOPES.draftsWrite);
        const content = draftMessage(jsonBody(req));
        const id = draftId();
        return { status: 200, body: { id, message: labelView(store(box, id, content)) } };
      },
    },
    {
      method: 'PUT',
      path: `${P}/:id`,
      endpoint: 'gmail.users.drafts.update',
      handler: (req) => {
        const box = open(req, 'gmail.users.drafts.update', GMAIL_SCOPES.draftsWrite);
        const { id, msg } = draftOf(box, req.params.id);
        return { status: 200, body: { id, message: labelView(replace(box, id, msg, jsonBody(req))) } };
      },
    },
    {
      method: 'DELETE',
      path: `${P}/:id`,
      endpoint: 'gmail.users.drafts.delete',
      handler: (req) => {
        const box = open(req, 'gmail.users.drafts.delete', GMAIL_SCOPES.draftsWrite);
        box.delete(draftOf(box, req.params.id).msg);
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: `${P}/send`,
      endpoint: 'gmail.users.drafts.send',
      handler: (req) => {
        const box = open(req, 'gmail.users.drafts.send', GMAIL_SCOPES.draftsWrite);
        const body = jsonBody(req);
        // The Draft resource's id is required by drafts.send (the discovery document's annotation).
        if (typeof body.id !== 'string' || body.id === '') throw badRequest('Invalid draft id');
        const draft = draftOf(box, body.id);
        const message = body.message as Record<string, unknown> | undefined;
        const content = message && typeof message === 'object' && message.raw !== undefined ? body : undefined;
        if (content && !hasRecipients(draftMessage(content).raw)) throw badRequest('Recipient address required');
        if (!content && !hasRecipients(draft.msg.raw())) throw badRequest('Recipient address required');
        // A Draft with a message sends that content (the guide: "send the message as-is or with an updated message").
        const raw = content ? draftMessage(content).raw : draft.msg.raw();
        const { threadId } = draft.msg;
        box.delete(draft.msg);
        const sent = box.add({ raw: () => raw, labelIds: ['SENT'], internalDate: deps.ctx.now(), threadId });
        return { status: 200, body: labelView(sent) };
      },
    },
  ];
}
