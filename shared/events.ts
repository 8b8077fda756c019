/** Events on the core's stream (SSE at GET /v1/events) and the source of webhook deliveries. */

export type JobKind = 'email_sync' | 'calendar_sync';
export type JobMode = 'full' | 'incremental';
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface JobSnapshot {
  id: string;
  kind: JobKind;
  mode: JobMode;
  status: JobStatus;
  account_id: string | null;
  parent_id: string | null;
  progress: { done: number; total: number | null };
  counts: Record<string, number>;
  error: { code: string; message: string } | null;
  queued_at: string;
  started_at: string | null;
  finished_at: string | null;
}

/** messages: mail added to or deleted from threads; flags: read or starred; labels: labels, folders, categories. */
export type MailChangeKind = 'messages' | 'flags' | 'labels';

export type CoreEvent =
  | { type: 'job.updated'; job: JobSnapshot }
  | { type: 'job.progress'; job_id: string; account_id: string | null; done: number; total: number | null }
  | { type: 'email.sync.completed'; job: JobSnapshot }
  | { type: 'email.sync.failed'; job: JobSnapshot }
  | { type: 'calendar.sync.completed'; job: JobSnapshot }
  | { type: 'calendar.sync.failed'; job: JobSnapshot }
  | { type: 'account.updated'; account_id: string; status: string }
  /** The account and everything synced from it left this computer (DELETE /v1/accounts/{id}). */
  | { type: 'account.removed'; account_id: string }
  /**
   * Mail in the index changed (a sync page, a thread action, a sent copy, an import, a removal),
   * announced after the change committed: the threads touched (public ids) and those that no
   * longer exist, and what kind of change it was, so a client patches what it shows.
   */
  | {
      type: 'mail.changed';
      account_id: string;
      thread_ids: string[];
      removed_thread_ids: string[];
      what: MailChangeKind[];
    }
  /** A message left the outbox: the provider accepted it (also the `email.sent` webhook). */
  | {
      type: 'email.sent';
      message: {
        id: string;
        account_id: string;
        provider_message_id: string | null;
        provider_thread_id: string | null;
        rfc822_message_id: string;
        sent_at: string;
      };
    }
  /**
   * A message handed to Outpost will not go out: the provider refused it for good, its retries ran
   * out, or it was cancelled while queued (also the `email.send_failed` webhook). `reason.code` is
   * from the error catalogue; `provider_status` is the provider's HTTP status when it answered.
   */
  | {
      type: 'email.send_failed';
      message: {
        id: string;
        account_id: string;
        rfc822_message_id: string;
        idempotency_key: string | null;
        reason: { code: string; message: string; provider_status: number | null };
        failed_at: string;
      };
    }
  /** An outbox message changed state (queued, sending, sent, failed) or was cancelled. */
  | { type: 'outbox.updated'; id: string; status: 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled' }
  /**
   * A calendar edit made here met a change made at the provider meanwhile (its etag or changeKey had moved
   * on): the later of the two was kept, the provider's (`kept: 'provider'`, the edit dropped) or the edit.
   */
  | {
      type: 'calendar.edit_conflict';
      account_id: string;
      provider_event_id: string;
      edit: 'update' | 'delete';
      kept: 'provider' | 'local';
    }
  /** The provider refused a calendar edit made here for good: it was dropped, and the next sync shows the provider's copy. */
  | {
      type: 'calendar.edit_failed';
      account_id: string;
      provider_event_id: string;
      edit: 'create' | 'update' | 'delete';
      reason: { code: string; message: string; provider_status: number | null };
    }
  /** New unread inbox mail an incremental sync brought (not a first full sync's backlog); newest first. */
  | { type: 'mail.received'; messages: Array<{ account_id: string; thread_id: string; from: string; subject: string }> };

export type CoreEventType = CoreEvent['type'];
