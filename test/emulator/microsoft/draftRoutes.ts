import { randomBytes } from 'node:crypto';
import type { EmulatorReply, EmulatorRequest, Route } from '../kit/types.ts';
import { graphError, parseJsonBody } from './errors.ts';
import { type GraphEnv, type GraphUser, graphRoutes } from './graphContext.ts';
import { parseAddresses, readHeaders, summarize } from './headers.ts';
import { idKind } from './ids.ts';
import type { StoredMessage } from './mailbox.ts';
import { requireFolder } from './mailRoutes.ts';
import { forgetParsed, messageJson } from './messageView.ts';
import { composeFromJson } from './sendRoutes.ts';

/** The message properties Graph lets a PATCH change only while the message is a draft (message: update). */
export const DRAFT_ONLY_PROPERTIES = ['subject', 'body', 'toRecipients', 'ccRecipients', 'bccRecipients', 'internetMessageId'];

const recipients = (list: Array<{ address: string; name: string }>) =>
  list.map((a) => ({ emailAddress: { address: a.address, name: a.name } }));

/**
 * POST /me/messages (and /me/mailFolders/{id}/messages): a draft (isDraft true), in Drafts unless a folder is
 * named, from JSON (a draft may have no recipients yet; an internetMessageId given is kept) or from base64 MIME
 * (Content-Type text/plain, as "Create message in MIME format" shows). 201 with the message.
 */
async function createDraft(env: GraphEnv, req: EmulatorRequest, user: GraphUser, folderParam?: string): Promise<EmulatorReply> {
  const mb = user.mailbox;
  const folder = folderParam ? requireFolder(mb, folderParam) : mb.folder('drafts')!;
  let raw: Buffer;
  if (/^text\/plain/i.test(req.headers['content-type'] ?? '')) {
    raw = Buffer.from(req.body.toString('utf8').trim(), 'base64');
    if (raw.indexOf('\n\n') < 0 && raw.indexOf('\r\n\r\n') < 0)
      throw graphError(400, 'ErrorMimeContentInvalidBase64String', 'Invalid base64 string for MIME content.');
    if (!summarize(raw).messageId)
      raw = Buffer.concat([Buffer.from(`Message-ID: <${randomBytes(12).toString('hex')}@${mb.upn.split('@')[1]}>\r\n`), raw]);
  } else {
    const msg = parseJsonBody(req.body);
    const messageId = typeof msg.internetMessageId === 'string' ? msg.internetMessageId : undefined;
    raw = Buffer.from(await composeFromJson(user, msg, {}, { bcc: true, ...(messageId ? { messageId } : {}) }));
  }
  const m = mb.addMessage(raw, folder.id, { isDraft: true, isRead: true, receivedDateTime: env.ctx.now() });
  return { status: 201, body: await messageJson(m, idKind(req)) };
}

/**
 * A PATCH's draft-only properties: refused for a message that is not a draft (400, the Exchange code for a
 * property of a sent message), else the draft rebuilt with them (what the PATCH leaves out stays as it was;
 * Message-ID, In-Reply-To and References kept). Returns false when the PATCH names none of them.
 */
export async function patchDraft(
  env: GraphEnv,
  user: GraphUser,
  m: StoredMessage,
  patch: Record<string, unknown>,
): Promise<boolean> {
  if (!DRAFT_ONLY_PROPERTIES.some((k) => k in patch)) return false;
  if (!m.isDraft)
    throw graphError(400, 'ErrorInvalidPropertyUpdateSentMessage', 'Update operation is invalid for property of a sent message.');
  const current = await messageJson(m, 'immutable');
  const headers = readHeaders(m.raw);
  const merged: Record<string, unknown> = {
    subject: current.subject,
    body: current.body,
    toRecipients: current.toRecipients,
    ccRecipients: current.ccRecipients,
    bccRecipients: recipients(parseAddresses(headers.get('bcc'))),
    ...patch,
  };
  const keep: Record<string, string> = {};
  for (const [name, key] of [
    ['In-Reply-To', 'in-reply-to'],
    ['References', 'references'],
  ] as const) {
    const value = headers.get(key);
    if (value) keep[name] = value;
  }
  const messageId = typeof patch.internetMessageId === 'string' ? patch.internetMessageId : m.summary.messageId;
  m.raw = Buffer.from(await composeFromJson(user, merged, keep, { bcc: true, ...(messageId ? { messageId } : {}) }));
  m.summary = summarize(m.raw);
  m.receivedDateTime = env.ctx.now();
  forgetParsed(m.id);
  return true;
}

export function draftRoutes(env: GraphEnv): Route[] {
  return [
    ...graphRoutes(env, 'POST', '/messages', 'graph.messages.create', (req, u) => createDraft(env, req, u)),
    ...graphRoutes(env, 'POST', '/mailFolders/:folder/messages', 'graph.messages.create', (req, u) =>
      createDraft(env, req, u, req.params.folder!),
    ),
  ];
}
