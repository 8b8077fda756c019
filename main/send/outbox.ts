import { ulid } from '../core/ids.ts';
import { OutpostError } from '../core/outpostError.ts';
import type { BlobStore } from '../db/blobStore.ts';
import type { IndexDb } from '../db/openIndex.ts';
import { type MessageInput, writeMessages } from '../db/queries/messageWrites.ts';
import { stmt } from '../db/statements.ts';
import type { FailureClass } from '../sync/retryPolicy.ts';

/** How a provider accepts a message, and how a send whose outcome is unknown is found again. */
export interface SendProvider {
  send(
    raw: Buffer,
    options: { providerThreadId: string | null },
  ): Promise<{ providerMessageId: string; providerThreadId: string | null }>;
  /** The sent message with this Message-ID (without <>), if the provider has it. */
  findSent(rfc822MessageId: string): Promise<{ providerMessageId: string; providerThreadId: string | null } | null>;
  classify(error: unknown): FailureClass;
}

export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed';

/** Retry or cancel asked of a row that does not exist, or is past the point where it can be. */
export class OutboxStateError extends OutpostError {
  declare readonly code: 'not_found' | 'already_sent' | 'send_in_progress';
  constructor(code: OutboxStateError['code'], message: string) {
    super(code, message);
  }
}

export interface OutboxRow {
  id: string;
  account_id: string;
  idempotency_key: string | null;
  rfc822_message_id: string;
  raw_sha256: string;
  provider_thread_id: string | null;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  provider_message_id: string | null;
  created_at: number;
  sent_at: number | null;
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
  onStatus?(row: OutboxRow): void;
  now?: () => number;
  maxAttempts?: number;
}

/**
 * The outbox: a send is first a row (with its idempotency key and its fixed
 * Message-ID), then delivered. A row is marked `sending` (committed) before
 * the provider is called, and `sent` with the provider's id in one
 * transaction after. A row found `sending` at start-up is uncertain — the
 * provider may have accepted it just before a crash — so it is looked up in
 * the provider's Sent mail by Message-ID before any retry. Each row is
 * therefore delivered at most once, and (while it can be) at least once.
 * The same lookup precedes every retry after a failed attempt, since a
 * reset, timeout or 5xx does not prove the provider did not take the message.
 */
export class Outbox {
  readonly #db: IndexDb;
  readonly #blobs: BlobStore;
  readonly #options: OutboxOptions;
  readonly #now: () => number;

  constructor(db: IndexDb, blobs: BlobStore, options: OutboxOptions) {
    this.#db = db;
    this.#blobs = blobs;
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Queues a composed message; an idempotency key seen before returns the original row instead. */
  enqueue(input: {
    accountId: string;
    raw: Buffer;
    rfc822MessageId: string;
    providerThreadId: string | null;
    idempotencyKey: string | null;
    /** Not tried for this long (undo send); default 0. */
    delayMs?: number | undefined;
  }): OutboxRow {
    return this.#db.transaction(() => {
      if (input.idempotencyKey) {
        const existing = this.byIdempotencyKey(input.idempotencyKey);
        if (existing) return existing;
      }
      const id = `out_${ulid(this.#now())}`;
      stmt(
        this.#db,
        `INSERT INTO outbox (id, account_id, idempotency_key, rfc822_message_id, raw_sha256, provider_thread_id, status, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?)`,
      ).run(
        id,
        input.accountId,
        input.idempotencyKey,
        input.rfc822MessageId,
        this.#blobs.put(input.raw),
        input.providerThreadId,
        this.#now() + (input.delayMs ?? 0),
        this.#now(),
      );
      return this.get(id) as OutboxRow;
    })();
  }

  get(id: string): OutboxRow | undefined {
    return stmt<[string], OutboxRow>(this.#db, 'SELECT * FROM outbox WHERE id = ?').get(id);
  }

  byIdempotencyKey(key: string): OutboxRow | undefined {
    return stmt<[string], OutboxRow>(this.#db, 'SELECT * FROM outbox WHERE idempotency_key = ?').get(key);
  }

  /** At start-up: settle rows a crash left `sending` by asking the provider whether it has them. */
  async reconcileUncertain(): Promise<number> {
    const uncertain = stmt<[], OutboxRow>(this.#db, `SELECT * FROM outbox WHERE status = 'sending'`).all();
    for (const row of uncertain) {
      const provider = this.#options.providerFor(row.account_id);
      let found: Awaited<ReturnType<SendProvider['findSent']>>;
      try {
        found = await provider.findSent(row.rfc822_message_id);
      } catch (error) {
        // Cannot tell yet (offline?): leave it uncertain; never resend blindly.
        this.#update(row.id, { last_error: `could not check whether it was sent: ${(error as Error).message}` });
        continue;
      }
      if (found) await this.#markSent(row, found);
      else this.#update(row.id, { status: 'queued', next_attempt_at: this.#now() });
    }
    return uncertain.length;
  }

  /** Delivers every due row once; returns how many were sent. */
  async deliverDue(): Promise<number> {
    let sent = 0;
    const due = stmt<[number], OutboxRow>(
      this.#db,
      `SELECT * FROM outbox WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id`,
    ).all(this.#now());
    for (const row of due) if (await this.#deliver(row)) sent++;
    return sent;
  }

  /** Rows not yet sent (queued, being sent, failed), oldest first: the Outbox view. */
  pending(): OutboxRow[] {
    return stmt<[], OutboxRow>(this.#db, `SELECT * FROM outbox WHERE status <> 'sent' ORDER BY created_at, rowid`).all();
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

  /** Cancels a queued or failed row: it will not be sent. One being sent or sent cannot be taken back. */
  cancel(id: string): void {
    this.#settable(id, 'cancel');
    const { changes } = stmt(this.#db, `DELETE FROM outbox WHERE id = ? AND status IN ('queued', 'failed')`).run(id);
    if (changes === 0) throw new OutboxStateError('send_in_progress', `message ${id} is being sent; cannot cancel now`);
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
    const { changes } = stmt(this.#db, `UPDATE outbox SET status = 'sending' WHERE id = ? AND status = 'queued'`).run(id);
    if (changes === 0) return null;
    const row = this.get(id) as OutboxRow;
    this.#options.onStatus?.(row);
    return row;
  }

  async #deliver(due: OutboxRow): Promise<boolean> {
    const row = this.#claim(due.id);
    if (!row) return false;
    const provider = this.#options.providerFor(row.account_id);
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
      result = await provider.send(this.#blobs.read(row.raw_sha256), { providerThreadId: row.provider_thread_id });
    } catch (error) {
      const failure = provider.classify(error);
      const message = (error as Error).message ?? String(error);
      const maxAttempts = this.#options.maxAttempts ?? 10;
      if (failure.kind === 'retry' && row.attempts + 1 < maxAttempts) {
        const backoff = failure.retryAfterMs ?? Math.min(3_600_000, 5_000 * 2 ** row.attempts);
        this.#update(row.id, { status: 'queued', next_attempt_at: this.#now() + backoff, last_error: message });
      } else {
        this.#update(row.id, { status: 'failed', last_error: message });
      }
      return false;
    }
    await this.#markSent(row, result);
    return true;
  }

  async #markSent(row: OutboxRow, result: { providerMessageId: string; providerThreadId: string | null }): Promise<void> {
    const copy = this.#options.sentCopy ? await this.#options.sentCopy(row, this.#blobs.read(row.raw_sha256), result) : null;
    this.#db.transaction(() => {
      this.#update(row.id, {
        status: 'sent',
        provider_message_id: result.providerMessageId,
        sent_at: this.#now(),
        last_error: null,
      });
      if (copy) writeMessages(this.#db, row.account_id, [copy]);
      this.#options.onSent?.(this.get(row.id) as OutboxRow);
    })();
  }

  #update(
    id: string,
    fields: Partial<
      Pick<OutboxRow, 'status' | 'attempts' | 'next_attempt_at' | 'last_error' | 'provider_message_id' | 'sent_at'>
    >,
  ): void {
    const columns = Object.keys(fields);
    stmt(this.#db, `UPDATE outbox SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run({ ...fields, id });
    const row = this.get(id);
    if (row) this.#options.onStatus?.(row);
  }
}
