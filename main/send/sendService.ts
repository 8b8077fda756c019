import type { EmailSendResultBody } from '../../shared/api/send.ts';
import { publicId } from '../../shared/ids.ts';
import type { EmailAddress } from '../../shared/mailModel.ts';
import type { EventBus } from '../core/eventBus.ts';
import type { Log } from '../core/log.ts';
import type { BlobStore } from '../db/blobStore.ts';
import type { WritableDb } from '../db/handles.ts';
import { type AccountRow, getAccount } from '../db/queries/accounts.ts';
import { deleteComposeDraft } from '../db/queries/composeDrafts.ts';
import { labelIdsByRole } from '../db/queries/labels.ts';
import { threadOfRemoteMessage } from '../db/queries/messageLookups.ts';
import type { MessageInput } from '../db/queries/messageWrites.ts';
import { transaction } from '../db/transactions.ts';
import { parseRfc822 } from '../mail/parseRfc822.ts';
import { toMessageInput } from '../mail/toMessageInput.ts';
import { type ComposeRequest, composeMessage } from './composeMessage.ts';
import { forgetDraft } from './draftSync.ts';
import { Outbox, type OutboxRow, type SendProvider } from './outbox.ts';
import { replyContext, SendError, sendingAccount } from './sendingAccount.ts';

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
  /** The compose draft this sends: forgotten with the queueing (the provider's draft deleted at the next push). */
  draftId?: string | undefined;
}

/** A send as it stands (the API's answer to POST /v1/email/send). */
export type SendResult = EmailSendResultBody;

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
  readonly #pushDraftsSoon: ((accountId: string) => void) | undefined;

  constructor(
    db: WritableDb,
    blobs: BlobStore,
    providerFor: (account: AccountRow) => SendProvider,
    options: { log: Log; events?: EventBus; pushDraftsSoon?: (accountId: string) => void },
  ) {
    this.#db = db;
    this.#blobs = blobs;
    this.#log = options.log;
    this.#pushDraftsSoon = options.pushDraftsSoon;
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
    // The message is queued and its draft forgotten together: a crash leaves both done or neither.
    const { row, draftAccount } = transaction(this.#db, () => ({
      row: this.outbox.enqueue({
        accountId: account.id,
        raw: composed.raw,
        rfc822MessageId: composed.messageId,
        providerThreadId: reply?.providerThreadId ?? null,
        idempotencyKey: options.idempotencyKey,
        contactId: request.contactId ?? null,
        dealId: request.dealId ?? null,
        delayMs,
      }),
      draftAccount: request.draftId ? this.#forgetDraft(request.draftId.toLowerCase()) : null,
    }));
    if (draftAccount) this.#pushDraftsSoon?.(draftAccount);
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

  /** The compose draft is sent: gone from compose's list and from Drafts; the account whose provider is to delete it, if any. */
  #forgetDraft(composeId: string): string | null {
    const accountId = forgetDraft({ db: this.#db, blobs: this.#blobs, log: this.#log }, composeId);
    deleteComposeDraft(this.#db, composeId);
    return accountId;
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

export type { EmailAddress };
export { SendError };
