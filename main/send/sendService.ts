import type { EmailSendResultBody } from '../../shared/api/send.ts';
import { publicId } from '../../shared/ids.ts';
import type { EmailAddress } from '../../shared/mailModel.ts';
import type { EventBus } from '../core/eventBus.ts';
import type { Log } from '../core/log.ts';
import { OutpostError } from '../core/outpostError.ts';
import type { BlobStore } from '../db/blobStore.ts';
import type { ReadableDb, WritableDb } from '../db/handles.ts';
import { type AccountRow, getAccount, listAccounts } from '../db/queries/accounts.ts';
import { labelIdsByRole } from '../db/queries/labels.ts';
import { answeredMessage, threadOfRemoteMessage, threadRemote } from '../db/queries/messageLookups.ts';
import type { MessageInput } from '../db/queries/messageWrites.ts';
import { parseRfc822 } from '../mail/parseRfc822.ts';
import { toMessageInput } from '../mail/toMessageInput.ts';
import { describeProvider } from '../providers/descriptions.ts';
import { type ComposeRequest, composeMessage } from './composeMessage.ts';
import { Outbox, type OutboxRow, type SendProvider } from './outbox.ts';

/** What a caller asks to send; the service fills in the sender's identity and the reply headers. */
export interface SendRequest extends Omit<ComposeRequest, 'from' | 'inReplyTo' | 'references' | 'date'> {
  /** Sending account: by address, else the first connected mail account. */
  from?: string;
  /** thr_<n>: reply into this thread. */
  threadId?: string;
  /** msg_<n> of that thread: the message answered (In-Reply-To); default its newest. */
  replyToMessageId?: string;
  /** Held in the outbox this long before the first try, so it can be cancelled (undo send); default 0. */
  delaySeconds?: number | undefined;
  /** The contact and deal the message is linked to: kept with it, for their mail timelines. */
  contactId?: string | undefined;
  dealId?: string | undefined;
}

/** A send as it stands (the API's answer to POST /v1/email/send). */
export type SendResult = EmailSendResultBody;

export class SendError extends OutpostError {
  declare readonly code: 'validation_error' | 'insufficient_permissions' | 'not_found';
  constructor(code: SendError['code'], message: string) {
    super(code, message);
  }
}

/**
 * Sending as the API and the compose window see it: pick the account,
 * compose (replies get In-Reply-To/References from the thread's last
 * message), queue in the outbox, try to deliver at once. Offline or on a
 * provider outage the message stays queued and the answer says so.
 */
export class SendService {
  readonly outbox: Outbox;
  readonly #db: WritableDb;
  readonly #blobs: BlobStore;
  readonly #log: Log;

  constructor(
    db: WritableDb,
    blobs: BlobStore,
    providerFor: (account: AccountRow) => SendProvider,
    options: { log: Log; events?: EventBus },
  ) {
    this.#db = db;
    this.#blobs = blobs;
    this.#log = options.log;
    this.outbox = new Outbox(db, blobs, {
      providerFor: (accountId) => providerFor(getAccount(db, accountId) as AccountRow),
      sentCopy: (row, raw, result) => this.#sentCopy(row, raw, result),
      log: options.log,
      ...(options.events ? { events: options.events } : {}),
    });
  }

  /**
   * Composes and queues a message, and tries to deliver it at once (unless
   * it is to wait): the answer is its state after that first attempt. The
   * Idempotency-Key is the API's to hold (one live request per key); it is
   * kept with the row so a request a crash cut short can be settled from it.
   */
  async submit(request: SendRequest, options: { idempotencyKey: string | null }): Promise<SendResult> {
    const delayMs = (request.delaySeconds ?? 0) * 1000;
    if (request.replyToMessageId && !request.threadId)
      throw new SendError('validation_error', 'in_reply_to names a message of a thread: send thread_id with it');
    const account = sendingAccount(this.#db, request.from, request.threadId);
    const reply = request.threadId ? replyContext(this.#db, account, request.threadId, request.replyToMessageId) : null;
    const composed = await composeMessage({
      from: { name: account.display_name ?? '', email: account.email },
      to: request.to,
      cc: request.cc,
      bcc: request.bcc,
      replyTo: request.replyTo,
      subject: request.subject,
      html: request.html,
      text: request.text,
      attachments: request.attachments,
      inReplyTo: reply?.inReplyTo,
      references: reply?.references,
    });
    const row = this.outbox.enqueue({
      accountId: account.id,
      raw: composed.raw,
      rfc822MessageId: composed.messageId,
      providerThreadId: reply?.providerThreadId ?? null,
      idempotencyKey: options.idempotencyKey,
      contactId: request.contactId ?? null,
      dealId: request.dealId ?? null,
      delayMs,
    });
    if (delayMs) {
      // Its own timer: the outbox's 30 s sweep is too coarse for a few seconds' grace.
      setTimeout(
        () => void this.outbox.deliverDue().catch((error: Error) => this.#log.error({ err: error }, 'outbox delivery failed')),
        delayMs + 50,
      ).unref();
      return this.#result(row);
    }
    await this.outbox.deliver(row.id);
    return this.#result(this.outbox.get(row.id) as OutboxRow);
  }

  /** A send (out_…) as it stands now; null when there is none. */
  status(id: string): SendResult | null {
    const row = this.outbox.get(id);
    return row ? this.#result(row) : null;
  }

  /** The newest send made with this Idempotency-Key since `since`, as it stands now. */
  recover(idempotencyKey: string, since: number): SendResult | null {
    const row = this.outbox.byIdempotencyKey(idempotencyKey, since);
    return row ? this.#result(row) : null;
  }

  /** The sent message appears in the index at once (Sent, its thread); the next sync finds it by its provider id and adds nothing. */
  async #sentCopy(
    row: OutboxRow,
    raw: Buffer,
    result: { providerMessageId: string; providerThreadId: string | null },
  ): Promise<MessageInput> {
    const parsed = await parseRfc822(raw);
    const input = toMessageInput(
      parsed,
      {
        remoteId: result.providerMessageId,
        threadRemoteId: result.providerThreadId ?? result.providerMessageId,
        receivedAt: Date.now(),
        labelIds: labelIdsByRole(this.#db, 'sent', row.account_id),
        isUnread: false,
        isStarred: false,
        isImportant: false,
        isDraft: false,
        sizeBytes: raw.byteLength,
      },
      { blobs: this.#blobs, attachmentSizeCap: 25 * 1024 * 1024, raw },
    );
    return { ...input, contactId: row.contact_id, dealId: row.deal_id };
  }

  #result(row: OutboxRow): SendResult {
    const account = getAccount(this.#db, row.account_id);
    const threadId = row.provider_message_id
      ? threadOfRemoteMessage(this.#db, row.account_id, row.provider_message_id)
      : undefined;
    return {
      id: row.id,
      thread_id: threadId === undefined ? null : publicId('thr', threadId),
      provider: account?.provider ?? 'unknown',
      status: row.status,
      sent_at: row.sent_at ? new Date(row.sent_at).toISOString().replace(/\.\d{3}Z$/, 'Z') : null,
      provider_message_id: row.status === 'sent' ? row.provider_message_id : null,
      provider_thread_id: row.status === 'sent' ? row.provider_thread_id : null,
      contact_id: row.contact_id,
      deal_id: row.deal_id,
      ...(row.status === 'failed'
        ? {
            error: {
              code: row.failure_code ?? 'provider_error',
              message: row.last_error ?? 'the message was not sent',
              provider_status: row.provider_status,
            },
          }
        : {}),
    };
  }
}

/** The named sender; else a reply goes from the account its thread is in; else the first connected account. */
export function sendingAccount(db: ReadableDb, from: string | undefined, threadPublicId: string | undefined): AccountRow {
  const accounts = listAccounts(db).filter((a) => describeProvider(a.provider).capabilities.send && a.status === 'active');
  if (accounts.length === 0) throw new SendError('insufficient_permissions', 'no connected email account to send from');
  if (!from) {
    const threadId = threadPublicId ? /^thr_(\d+)$/.exec(threadPublicId)?.[1] : undefined;
    const owner = threadId ? threadRemote(db, Number(threadId)) : undefined;
    return accounts.find((a) => a.id === owner?.accountId) ?? (accounts[0] as AccountRow);
  }
  const wanted = from.trim().toLowerCase();
  const account = accounts.find((a) => a.email === wanted);
  if (!account) throw new SendError('validation_error', `no connected account sends as ${from}`);
  return account;
}

/** A reply's headers and provider thread: the message answered is the one named, else the thread's newest. */
export function replyContext(
  db: ReadableDb,
  account: AccountRow,
  threadPublicId: string,
  messagePublicId: string | undefined,
): { providerThreadId: string; inReplyTo: string | undefined; references: string[] } {
  const threadId = /^thr_(\d+)$/.exec(threadPublicId)?.[1];
  const thread = threadId ? threadRemote(db, Number(threadId)) : undefined;
  if (!thread) throw new SendError('not_found', `no thread ${threadPublicId}`);
  if (thread.accountId !== account.id)
    throw new SendError('validation_error', `thread ${threadPublicId} belongs to another account`);
  // The message answered: the one named, else the thread's newest.
  const messageId = messagePublicId ? /^msg_(\d+)$/.exec(messagePublicId)?.[1] : undefined;
  if (messagePublicId && !messageId) throw new SendError('validation_error', `${messagePublicId} is not a message id`);
  const last = answeredMessage(db, Number(threadId), messageId ? Number(messageId) : undefined);
  if (messageId && !last) throw new SendError('validation_error', `${messagePublicId} is not a message of ${threadPublicId}`);
  const references = [...(last?.references ?? []), ...(last?.rfc822MessageId ? [last.rfc822MessageId] : [])];
  return { providerThreadId: thread.remoteId, inReplyTo: last?.rfc822MessageId ?? undefined, references };
}

export type { EmailAddress };
