import type { EventBus } from '../core/eventBus.ts';
import { ulid } from '../core/ids.ts';
import { type Log, silentLog } from '../core/log.ts';
import { OutpostError } from '../core/outpostError.ts';
import type { BlobStore } from '../db/blobStore.ts';
import type { WritableDb } from '../db/handles.ts';
import { type MessageInput, writeMessages } from '../db/queries/messageWrites.ts';
import {
  claimOutboxRow,
  deleteUnsentOutboxRow,
  dueOutboxRows,
  getOutboxRow,
  insertOutboxRow,
  type OutboxRow,
  type OutboxStatus,
  type OutboxUpdate,
  outboxRowByIdempotencyKey,
  outboxRowsBeingSent,
  unsentOutboxRows,
  updateOutboxRow,
} from '../db/queries/outbox.ts';
import { transaction } from '../db/transactions.ts';
import type { MailSender } from '../providers/accountProvider.ts';

/** How a provider accepts a message, and how a send whose outcome is unknown is found again (main/providers/). */
export type SendProvider = MailSender;

export type { OutboxRow, OutboxStatus };

/** Retry or cancel asked of a row that does not exist, or is past the point where it can be. */
export class OutboxStateError extends OutpostError {
  declare readonly code: 'not_found' | 'already_sent' | 'send_in_progress';
  constructor(code: OutboxStateError['code'], message: string) {
    super(code, message);
  }
}

export interface OutboxOptions {
  providerFor(accountId: string): SendProvider;
  /** The sent copy for the local index (Sent label, its thread), written in the transaction that marks the row sent. */
  sentCopy?(
    row: OutboxRow,
    raw: Buffer,
    result: { providerMessageId: string; providerThreadId: string | null },
  ): Promise<MessageInput | null>;
  /** Runs inside that transaction too (tests use it to simulate a crash before the commit). */
  onSent?(row: OutboxRow): void;
  /** Where each state change is announced (outbox.updated, email.sent with its webhook), with the write that makes it. */
  events?: EventBus;
  /** Where a row that failed in an unexpected way is logged (with its id); the pass goes on with the others. */
  log?: Log;
  now?: () => number;
  maxAttempts?: number;
}

/**
 * The outbox: a send is first a row (with its idempotency key and its fixed
 * Message-ID), then delivered. A row is marked `sending` (committed) before
 * the provider is called, and `sent` with the provider's id in one
 * transaction after. A row found `sending` that this process is not working
 * on is uncertain — the provider may have accepted it just before a crash or
 * a failed commit — so every delivery pass (and the start-up check) looks it
 * up in the provider's Sent mail by Message-ID, then marks it sent or queues
 * it again. Each row is therefore delivered at most once, and (while it can
 * be) at least once. The same lookup precedes every retry after a failed
 * attempt, since a reset, timeout or 5xx does not prove the provider did not
 * take the message. Rows are handled one by one, each failure caught and
 * logged with its row, so one row never stops the others.
 */
export class Outbox {
  readonly #db: WritableDb;
  readonly #blobs: BlobStore;
  readonly #options: OutboxOptions;
  readonly #now: () => number;
  readonly #log: Log;
  /** Rows this process is sending, checking or cancelling now: never reconciled meanwhile. */
  readonly #inFlight = new Set<string>();

  constructor(db: WritableDb, blobs: BlobStore, options: OutboxOptions) {
    this.#db = db;
    this.#blobs = blobs;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#log = options.log ?? silentLog;
  }

  /**
   * Queues a composed message. The Idempotency-Key is kept with the row so a
   * request a crash cut short can be settled from it (the API holds the key:
   * one live request per key), not to deduplicate here.
   */
  enqueue(input: {
    accountId: string;
    raw: Buffer;
    rfc822MessageId: string;
    providerThreadId: string | null;
    idempotencyKey: string | null;
    contactId?: string | null | undefined;
    dealId?: string | null | undefined;
    /** Not tried for this long (undo send); default 0. */
    delayMs?: number | undefined;
  }): OutboxRow {
    return transaction(this.#db, () => {
      const id = `out_${ulid(this.#now())}`;
      insertOutboxRow(this.#db, {
        id,
        account_id: input.accountId,
        idempotency_key: input.idempotencyKey,
        rfc822_message_id: input.rfc822MessageId,
        raw_sha256: this.#blobs.put(input.raw),
        provider_thread_id: input.providerThreadId,
        contact_id: input.contactId ?? null,
        deal_id: input.dealId ?? null,
        next_attempt_at: this.#now() + (input.delayMs ?? 0),
        created_at: this.#now(),
      });
      return this.get(id) as OutboxRow;
    });
  }

  get(id: string): OutboxRow | undefined {
    return getOutboxRow(this.#db, id);
  }

  /** The newest send made with this Idempotency-Key since `since`. */
  byIdempotencyKey(key: string, since: number): OutboxRow | undefined {
    return outboxRowByIdempotencyKey(this.#db, key, since);
  }

  /**
   * Settles rows left `sending` that this process is not working on (a crash,
   * a failed commit after the provider took the message) by asking the
   * provider whether Sent has them: sent, or queued again at once. One that
   * cannot be checked (offline) stays as it is; nothing is resent blindly.
   * Returns how many uncertain rows there were.
   */
  async reconcileUncertain(): Promise<number> {
    const uncertain = outboxRowsBeingSent(this.#db).filter((row) => !this.#inFlight.has(row.id));
    for (const row of uncertain) await this.#own(row, () => this.#reconcile(row));
    return uncertain.length;
  }

  /** Delivers one row now if it is due (the send request's own message, nothing else); true when it was sent. */
  async deliver(id: string): Promise<boolean> {
    const row = this.get(id);
    if (row?.status !== 'queued' || row.next_attempt_at > this.#now()) return false;
    return this.#deliver(row);
  }

  /** One delivery pass: uncertain rows settled first, then every due row tried once; returns how many were sent. */
  async deliverDue(): Promise<number> {
    await this.reconcileUncertain();
    let sent = 0;
    const due = dueOutboxRows(this.#db, this.#now());
    for (const row of due) if (await this.#deliver(row)) sent++;
    return sent;
  }

  /** Rows not yet sent (queued, being sent, failed), oldest first: the Outbox view. */
  pending(): OutboxRow[] {
    return unsentOutboxRows(this.#db);
  }

  /**
   * "Send now": a queued or failed row becomes due at once. A failed row gets
   * more attempts, but keeps the check in Sent before the next one (its last
   * failure may not prove the provider did not take it).
   */
  retryNow(id: string): OutboxRow {
    const row = this.#settable(id, 'send again');
    this.#update(row.id, { status: 'queued', next_attempt_at: this.#now(), attempts: Math.min(row.attempts, 1) });
    return this.get(id) as OutboxRow;
  }

  /**
   * Cancels a queued or failed row: it will not be sent, and a queued one is
   * announced as failed (email.send_failed, send_cancelled) with the delete.
   * A row stuck `sending` (not being sent by this process) is cancelled once
   * the provider's Sent shows it did not go out; one that did is marked sent
   * (already_sent), and while that cannot be checked it stays (send_in_progress).
   * One being sent now, or sent, cannot be taken back.
   */
  async cancel(id: string): Promise<void> {
    const row = this.get(id);
    if (row?.status === 'sending' && !this.#inFlight.has(id)) {
      await this.#own(row, () => this.#cancelUncertain(row), { rethrow: true });
      return;
    }
    this.#settable(id, 'cancel');
    this.#withdraw(id, ['queued', 'failed']);
  }

  /** Deletes a row not sent yet, in one of these states; announced as cancelled unless it was announced failed already. */
  #withdraw(id: string, states: readonly Exclude<OutboxStatus, 'sent'>[]): void {
    transaction(this.#db, () => {
      const row = this.get(id);
      if (!row || !deleteUnsentOutboxRow(this.#db, id, states))
        throw new OutboxStateError('send_in_progress', `message ${id} is being sent; cannot cancel now`);
      if (row.status !== 'failed')
        this.#announceFailure({ ...row, failure_code: 'send_cancelled', last_error: 'cancelled before it was sent' });
    });
  }

  async #cancelUncertain(row: OutboxRow): Promise<void> {
    let found: Awaited<ReturnType<SendProvider['findSent']>>;
    try {
      found = await this.#options.providerFor(row.account_id).findSent(row.rfc822_message_id);
    } catch (error) {
      throw new OutboxStateError(
        'send_in_progress',
        `message ${row.id} may have gone out and the provider's Sent mail cannot be checked now (${messageOf(error)}); try again when it can be reached`,
      );
    }
    if (found) {
      await this.#markSent(row, found);
      throw new OutboxStateError('already_sent', `message ${row.id} was sent already; cannot cancel`);
    }
    this.#withdraw(row.id, ['sending']);
  }

  /**
   * Works on one row as this process's own (no reconciling it meanwhile). A
   * failure is caught and logged with the row, so it never stops the other
   * rows of a pass; `rethrow` hands it to the caller too (cancel's answer).
   */
  async #own<T>(row: OutboxRow, work: () => Promise<T>, options: { rethrow?: boolean } = {}): Promise<T | false> {
    if (this.#inFlight.has(row.id)) {
      if (options.rethrow) throw new OutboxStateError('send_in_progress', `message ${row.id} is being sent; try again shortly`);
      return false;
    }
    this.#inFlight.add(row.id);
    try {
      return await work();
    } catch (error) {
      if (options.rethrow) throw error;
      this.#log.error({ err: error, outbox_id: row.id }, 'outbox row failed; the next delivery pass settles it');
      return false;
    } finally {
      this.#inFlight.delete(row.id);
    }
  }

  /** One uncertain row: in Sent, it is sent; not there, it is queued again (or given up when its attempts are spent). */
  async #reconcile(uncertain: OutboxRow): Promise<void> {
    const row = this.get(uncertain.id);
    if (row?.status !== 'sending') return;
    let found: Awaited<ReturnType<SendProvider['findSent']>>;
    try {
      found = await this.#options.providerFor(row.account_id).findSent(row.rfc822_message_id);
    } catch (error) {
      // Cannot tell yet (offline?): leave it uncertain; never resend blindly.
      const lastError = `could not check whether it was sent: ${messageOf(error)}`;
      this.#log.warn({ outbox_id: row.id, reason: messageOf(error) }, 'outbox: cannot check Sent for an uncertain message yet');
      if (row.last_error !== lastError) this.#update(row.id, { last_error: lastError });
      return;
    }
    if (found) await this.#markSent(row, found);
    else if (row.attempts >= this.#maxAttempts)
      this.#giveUp(row, row.last_error ?? 'not sent after every attempt', 'network_error', null);
    else this.#update(row.id, { status: 'queued', next_attempt_at: this.#now() });
  }

  #settable(id: string, what: string): OutboxRow {
    const row = this.get(id);
    if (!row) throw new OutboxStateError('not_found', `no message ${id} in the outbox`);
    if (row.status === 'sent') throw new OutboxStateError('already_sent', `message ${id} was sent already; cannot ${what}`);
    if (row.status === 'sending')
      throw new OutboxStateError('send_in_progress', `message ${id} is being sent; cannot ${what} now`);
    return row;
  }

  /**
   * Takes a due row for delivery: queued -> sending in one statement, so two
   * deliveries running at once (the send route and the 30 s timer) never both
   * take it. The row as it is now, or null when another delivery has it.
   */
  #claim(id: string): OutboxRow | null {
    return transaction(this.#db, () => {
      if (!claimOutboxRow(this.#db, id)) return null;
      const row = this.get(id) as OutboxRow;
      this.#announce(row);
      return row;
    });
  }

  /** Claims a due row and tries it once, as this process's own; false when not sent (for any reason, logged). */
  async #deliver(due: OutboxRow): Promise<boolean> {
    if (this.#inFlight.has(due.id)) return false;
    const row = this.#claim(due.id);
    if (!row) return false;
    return (await this.#own(row, () => this.#attempt(row))) === true;
  }

  async #attempt(row: OutboxRow): Promise<boolean> {
    let provider: SendProvider;
    let raw: Buffer;
    try {
      provider = this.#options.providerFor(row.account_id);
      raw = this.#blobs.read(row.raw_sha256);
    } catch (error) {
      // Nothing left this computer: tried again later like a refused attempt, and given up when the attempts are spent.
      this.#log.error({ err: error, outbox_id: row.id }, 'outbox: a message could not be tried');
      this.#failAttempt(row, { kind: 'retry' }, error, 'internal_error');
      return false;
    }
    if (row.attempts > 0) {
      // An earlier attempt failed in a way that cannot prove the provider did not
      // take it (a reset or timeout after the request left, a 5xx after acceptance):
      // look for it in Sent before sending again, and never resend blindly.
      let found: Awaited<ReturnType<SendProvider['findSent']>>;
      try {
        found = await provider.findSent(row.rfc822_message_id);
      } catch (error) {
        const backoff = Math.min(3_600_000, 5_000 * 2 ** row.attempts);
        this.#update(row.id, {
          status: 'queued',
          next_attempt_at: this.#now() + backoff,
          last_error: `could not check whether it was sent: ${(error as Error).message}`,
        });
        return false;
      }
      if (found) {
        await this.#markSent(row, found);
        return true;
      }
    }
    this.#update(row.id, { attempts: row.attempts + 1 });
    let result: Awaited<ReturnType<SendProvider['send']>>;
    try {
      result = await provider.send(raw, { providerThreadId: row.provider_thread_id });
    } catch (error) {
      const failure = provider.classify(error);
      const providerStatus = providerStatusOf(error);
      this.#failAttempt(
        row,
        failure,
        error,
        failure.kind === 'retry' && providerStatus === null ? 'network_error' : 'provider_error',
      );
      return false;
    }
    // A throw from here on leaves the row `sending`: the next pass finds it in Sent.
    await this.#markSent(row, result);
    return true;
  }

  get #maxAttempts(): number {
    return this.#options.maxAttempts ?? 10;
  }

  /** An attempt that did not send: queued again with backoff while it may be retried, else failed for good. */
  #failAttempt(
    row: OutboxRow,
    failure: { kind: 'retry' | 'fatal'; retryAfterMs?: number | undefined },
    error: unknown,
    code: string,
  ): void {
    const message = messageOf(error);
    if (failure.kind === 'retry' && row.attempts + 1 < this.#maxAttempts) {
      const backoff = failure.retryAfterMs ?? Math.min(3_600_000, 5_000 * 2 ** row.attempts);
      this.#update(row.id, {
        status: 'queued',
        attempts: row.attempts + 1,
        next_attempt_at: this.#now() + backoff,
        last_error: message,
      });
    } else this.#giveUp({ ...row, attempts: row.attempts + 1 }, message, code, providerStatusOf(error));
  }

  /** Refused for good, or its retries ran out: said plainly, with the write (email.send_failed). */
  #giveUp(row: OutboxRow, message: string, code: string, providerStatus: number | null): void {
    transaction(this.#db, () => {
      this.#update(row.id, {
        status: 'failed',
        attempts: row.attempts,
        last_error: message,
        failure_code: code,
        provider_status: providerStatus,
      });
      this.#announceFailure(this.get(row.id) as OutboxRow);
    });
  }

  async #markSent(row: OutboxRow, result: { providerMessageId: string; providerThreadId: string | null }): Promise<void> {
    const copy = this.#options.sentCopy ? await this.#options.sentCopy(row, this.#blobs.read(row.raw_sha256), result) : null;
    transaction(this.#db, () => {
      this.#update(row.id, {
        status: 'sent',
        provider_message_id: result.providerMessageId,
        provider_thread_id: result.providerThreadId ?? row.provider_thread_id,
        sent_at: this.#now(),
        last_error: null,
      });
      if (copy) writeMessages(this.#db, row.account_id, [copy]);
      this.#options.onSent?.(this.get(row.id) as OutboxRow);
    });
  }

  #update(id: string, fields: OutboxUpdate): void {
    transaction(this.#db, () => {
      updateOutboxRow(this.#db, id, fields);
      const row = this.get(id);
      if (row) this.#announce(row);
    });
  }

  /** A row's state, announced with the write (webhook deliveries in its transaction, listeners after the commit). */
  #announce(row: OutboxRow): void {
    const events = this.#options.events;
    if (!events) return;
    events.publish(this.#db, { type: 'outbox.updated', id: row.id, status: row.status });
    if (row.status !== 'sent') return;
    events.publish(this.#db, {
      type: 'email.sent',
      message: {
        id: row.id,
        account_id: row.account_id,
        provider_message_id: row.provider_message_id,
        provider_thread_id: row.provider_thread_id,
        rfc822_message_id: row.rfc822_message_id,
        sent_at: new Date(row.sent_at ?? this.#now()).toISOString(),
      },
    });
  }

  /** A send that will not go out: email.send_failed (and its webhook), in the transaction that records it. */
  #announceFailure(row: OutboxRow): void {
    this.#options.events?.publish(this.#db, {
      type: 'email.send_failed',
      message: {
        id: row.id,
        account_id: row.account_id,
        rfc822_message_id: row.rfc822_message_id,
        idempotency_key: row.idempotency_key,
        reason: {
          code: row.failure_code ?? 'provider_error',
          message: row.last_error ?? 'the message was not sent',
          provider_status: row.provider_status,
        },
        failed_at: new Date(this.#now()).toISOString(),
      },
    });
  }
}

function messageOf(error: unknown): string {
  return (error as Error)?.message ?? String(error);
}

/** The provider's HTTP status in a failed call's error, when it answered (Google's clients and ours put it in different places). */
export function providerStatusOf(error: unknown): number | null {
  const e = error as { status?: unknown; response?: { status?: unknown } } | null;
  const status = e?.status ?? e?.response?.status;
  return typeof status === 'number' ? status : null;
}
