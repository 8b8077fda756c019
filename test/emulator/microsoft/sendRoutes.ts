import { randomBytes } from 'node:crypto';
import type { EmulatorRequest, Route } from '../kit/types.ts';
import { graphError, parseJsonBody } from './errors.ts';
import { type GraphEnv, type GraphUser, graphRoutes } from './graphContext.ts';
import type { Address } from './headers.ts';
import { parseAddresses, readHeaders, summarize } from './headers.ts';
import { idKind } from './ids.ts';
import type { StoredMessage } from './mailbox.ts';
import { requireMessage } from './mailRoutes.ts';
import { messageJson } from './messageView.ts';
import { buildMime } from './mimeBuild.ts';

type Recipient = { emailAddress?: { address?: string; name?: string } };

function addresses(list: unknown): Address[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw graphError(400, 'ErrorInvalidRecipients', 'At least one recipient is not valid.');
  return (list as Recipient[]).map((r) => {
    const address = r?.emailAddress?.address;
    if (typeof address !== 'string' || !address.includes('@'))
      throw graphError(400, 'ErrorInvalidRecipients', 'At least one recipient is not valid., Recipient is not resolved.');
    return { address, name: r.emailAddress?.name ?? '' };
  });
}

const fmt = (a: Address[]) => a.map((x) => (x.name ? `"${x.name.replace(/"/g, '')}" <${x.address}>` : x.address));

/** Builds RFC 822 from a Graph JSON message. */
export async function composeFromJson(
  user: GraphUser,
  msg: Record<string, unknown>,
  extraHeaders: Record<string, string> = {},
  draft: { messageId?: string; bcc?: boolean } = {},
): Promise<string> {
  const body = (msg.body ?? {}) as { contentType?: string; content?: string };
  const to = addresses(msg.toRecipients);
  const cc = addresses(msg.ccRecipients);
  const bcc = addresses(msg.bccRecipients);
  // A draft may have no recipients yet; a message sent at once may not.
  if (to.length + cc.length + bcc.length === 0 && !draft.bcc)
    throw graphError(
      400,
      'ErrorInvalidRecipients',
      "At least one recipient is not valid., A message can't be sent because it contains no recipients.",
    );
  const attachments = Array.isArray(msg.attachments)
    ? (msg.attachments as Array<{ name?: string; contentType?: string; contentBytes?: string }>).map((a) => ({
        filename: a.name,
        contentType: a.contentType,
        content: Buffer.from(a.contentBytes ?? '', 'base64'),
      }))
    : [];
  return buildMime({
    from: `"${user.mailbox.displayName}" <${user.mailbox.upn}>`,
    to: fmt(to),
    cc: fmt(cc),
    ...(draft.bcc ? { bcc: fmt(bcc) } : {}),
    subject: typeof msg.subject === 'string' ? msg.subject : '',
    html: body.contentType?.toLowerCase() === 'html',
    content: body.content ?? '',
    attachments,
    messageId: draft.messageId ?? `<${randomBytes(12).toString('hex')}@${user.mailbox.upn.split('@')[1]}>`,
    headers: extraHeaders,
    date: new Date(),
  });
}

/**
 * Delivery: a copy in the sender's Sent Items, and one in each recipient's Inbox if they are emulator users.
 * A sent draft's Sent Items copy keeps the draft's immutable id (`sentId`), as Graph documents.
 */
export function deliver(
  env: GraphEnv,
  sender: GraphUser,
  input: Buffer | string,
  saveToSentItems: boolean,
  bccList: Address[] = [],
  sentId?: string,
): StoredMessage | undefined {
  const raw = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const now = env.ctx.now();
  const mb = sender.mailbox;
  const s = summarize(raw);
  let sent: StoredMessage | undefined;
  if (saveToSentItems)
    sent = mb.addMessage(raw, mb.folder('sentitems')!.id, {
      isRead: true,
      receivedDateTime: now,
      ...(sentId ? { id: sentId } : {}),
    });
  const rcpts = new Set([...s.to, ...s.cc, ...bccList].map((a) => a.address.toLowerCase()));
  // Recipients never see the Bcc header; the sender's Sent Items copy keeps it.
  const delivered = withoutBcc(raw);
  for (const u of env.users.values()) {
    if (rcpts.has(u.mailbox.upn.toLowerCase()))
      u.mailbox.addMessage(delivered, u.mailbox.folder('inbox')!.id, { receivedDateTime: now });
  }
  return sent;
}

/** The message without its Bcc header field (and the field's folded continuation lines). */
function withoutBcc(raw: Buffer): Buffer {
  // Latin-1 maps each byte to one character, so the bytes come back unchanged.
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  if (end < 0) return raw;
  const head = text.slice(0, end).replace(/^bcc:.*(?:\r?\n[ \t].*)*(?:\r?\n|$)/gim, '');
  return Buffer.from(head.replace(/\r?\n$/, '') + text.slice(end), 'latin1');
}

async function sendMail(env: GraphEnv, req: EmulatorRequest, user: GraphUser) {
  const type = req.headers['content-type'] ?? '';
  if (/^text\/plain/i.test(type)) {
    // MIME send: the body is the RFC 822 message, base64-encoded.
    const raw = Buffer.from(req.body.toString('utf8').trim(), 'base64');
    const s = summarize(raw);
    const bcc = parseAddresses(readHeaders(raw).get('bcc'));
    if ((raw.indexOf('\n\n') < 0 && raw.indexOf('\r\n\r\n') < 0) || s.to.length + s.cc.length + bcc.length === 0)
      throw graphError(400, 'ErrorMimeContentInvalidBase64String', 'Invalid base64 string for MIME content.');
    // Exchange takes Bcc recipients of a MIME message from its Bcc header.
    deliver(
      env,
      user,
      s.messageId
        ? raw
        : Buffer.concat([
            Buffer.from(`Message-ID: <${randomBytes(12).toString('hex')}@${user.mailbox.upn.split('@')[1]}>\r\n`),
            raw,
          ]),
      true,
      bcc,
    );
    return { status: 202 };
  }
  const body = parseJsonBody(req.body);
  const msg = body.message as Record<string, unknown> | undefined;
  if (!msg || typeof msg !== 'object')
    throw graphError(400, 'ErrorInvalidParameter', "The value of the parameter 'Message' is empty.");
  const raw = await composeFromJson(user, msg);
  deliver(env, user, raw, body.saveToSentItems !== false, addresses(msg.bccRecipients));
  return { status: 202 };
}

/** createReply/reply/replyAll: same conversation, In-Reply-To/References set, "RE: " subject. */
async function buildReply(_env: GraphEnv, req: EmulatorRequest, user: GraphUser, all: boolean): Promise<string> {
  const original = requireMessage(user.mailbox, req.params.id!, idKind(req));
  const input = req.body.length ? parseJsonBody(req.body) : {};
  const s = original.summary;
  const me = user.mailbox.upn.toLowerCase();
  const to = [s.replyTo[0] ?? s.from].filter((a): a is Address => !!a);
  const cc = all
    ? [...s.to, ...s.cc].filter((a) => a.address.toLowerCase() !== me && !to.some((t) => t.address === a.address))
    : [];
  const given = (input.message ?? {}) as Record<string, unknown>;
  const comment = typeof input.comment === 'string' ? input.comment : '';
  const msg = {
    subject: /^re:/i.test(s.subject) ? s.subject : `RE: ${s.subject}`,
    toRecipients: given.toRecipients ?? to.map((a) => ({ emailAddress: a })),
    ccRecipients: given.ccRecipients ?? cc.map((a) => ({ emailAddress: a })),
    body: given.body ?? { contentType: 'text', content: comment },
  };
  const refs = [...s.references, s.messageId].filter(Boolean).join(' ');
  return composeFromJson(user, msg, s.messageId ? { 'In-Reply-To': s.messageId, References: refs } : {});
}

export function sendRoutes(env: GraphEnv): Route[] {
  const r = (method: Route['method'], path: string, endpoint: string, h: Parameters<typeof graphRoutes>[4]) =>
    graphRoutes(env, method, path, endpoint, h);
  const draft = (all: boolean) => async (req: EmulatorRequest, u: GraphUser) => {
    const raw = await buildReply(env, req, u, all);
    const m = u.mailbox.addMessage(raw, u.mailbox.folder('drafts')!.id, {
      isDraft: true,
      isRead: true,
      receivedDateTime: env.ctx.now(),
    });
    return { status: 201, body: await messageJson(m, idKind(req)) };
  };
  const direct = (all: boolean) => async (req: EmulatorRequest, u: GraphUser) => {
    deliver(env, u, await buildReply(env, req, u, all), true);
    return { status: 202 };
  };
  return [
    ...r('POST', '/sendMail', 'graph.sendMail', (req, u) => sendMail(env, req, u)),
    ...r('POST', '/messages/:id/createReply', 'graph.messages.createReply', draft(false)),
    ...r('POST', '/messages/:id/createReplyAll', 'graph.messages.createReplyAll', draft(true)),
    ...r('POST', '/messages/:id/reply', 'graph.messages.reply', direct(false)),
    ...r('POST', '/messages/:id/replyAll', 'graph.messages.replyAll', direct(true)),
    ...r('POST', '/messages/:id/send', 'graph.messages.send', (req, u) => {
      const m = requireMessage(u.mailbox, req.params.id!, idKind(req));
      if (!m.isDraft) throw graphError(400, 'ErrorInvalidOperation', 'Only draft messages can be sent.');
      const s = m.summary;
      const bcc = parseAddresses(readHeaders(m.raw).get('bcc'));
      if (s.to.length + s.cc.length + bcc.length === 0)
        throw graphError(
          400,
          'ErrorInvalidRecipients',
          "At least one recipient is not valid., A message can't be sent because it contains no recipients.",
        );
      u.mailbox.remove(m);
      deliver(env, u, m.raw, true, bcc, m.id);
      return { status: 202 };
    }),
  ];
}
