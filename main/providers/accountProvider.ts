import type { JobMode } from '../../shared/events.ts';
import type { AccountRow } from '../db/queries/accounts.ts';
import type { EventEdit } from '../db/queries/eventEdits.ts';
import type { LabelInput } from '../db/queries/labels.ts';
import type { PendingChange } from '../db/queries/pendingChanges.ts';
import type { FailureClass } from '../sync/retryPolicy.ts';
import type { ProviderDescription } from './descriptions.ts';
import type { CalendarWindow } from './gcal/syncWindow.ts';

/**
 * The one interface between the product and a mail provider (Google: Gmail
 * and Calendar; Microsoft: Graph mail and calendar; imported mail: none).
 * Everything that differs between providers happens behind it, in
 * main/providers/; the rest of the core reads `description.capabilities`
 * and never asks which provider an account is. A method exists here only
 * when something calls it.
 */
export interface AccountProvider {
  readonly description: ProviderDescription;
  /** The provider's sign-in in the user's browser (OAuth loopback flow); the account row, created or reactivated. */
  connect(options: ConnectOptions): Promise<AccountRow>;
  /** Talks to the provider as this account: clients are opened on first use and kept for the session's life. */
  session(account: AccountRow, signal?: AbortSignal): AccountSession;
  /**
   * What revoking Outpost's grant needs, captured now (the account's secrets are about to be
   * deleted); null when the provider has no per-app revocation or nothing to revoke. The returned
   * call resolves false when the provider could not be told.
   */
  revocation(account: AccountRow): (() => Promise<boolean>) | null;
}

export interface AccountSession {
  /**
   * Tells the provider the user's local changes, in order. `settle` is called with the ids of the
   * changes it has taken (or that no longer apply: the message is gone there) as it goes, so a
   * failure part-way keeps what was pushed; the rest stays queued for the next sync. `scheduled`
   * as in MailSyncRequest: a provider may keep them queued while it knows the answer would be a refusal.
   */
  pushChanges(
    changes: readonly PendingChange[],
    settle: (ids: readonly number[]) => void,
    options?: { scheduled?: boolean },
  ): Promise<void>;
  /** Mail from the provider into the index: full, incremental, or a resumed full sync. */
  syncMail(request: MailSyncRequest, run: SyncRun): Promise<SyncCounts>;
  /** Calendars and their events over the window into the index. */
  syncCalendars(request: CalendarSyncRequest, run: SyncRun): Promise<Record<string, number>>;
  /** Sending: the outbox's provider for this account (opened when the first message goes out). */
  sender(): Promise<MailSender>;
  /** Answers an invitation at the provider, the organizer notified. */
  answerInvitation(invitation: InvitationAnswer): Promise<void>;
  /**
   * Writes one of the user's event edits (create, update, delete) to the provider, guests notified by it.
   * A retried create never makes a second event (the id Outpost chose is the provider's key for it).
   */
  writeEvent(edit: EventEdit): Promise<EventWriteOutcome>;
  /** The account's drafts at the provider (Gmail's drafts, Outlook's Drafts folder). */
  drafts(): Promise<ProviderDrafts>;
  /** The user's own labels (Gmail) or mail folders (Outlook), made, renamed and deleted at the provider. */
  labels(): Promise<ProviderLabels>;
  /**
   * The message as it came (RFC 822), asked for when the sync did not keep it (Outlook's, fetched on
   * first Show original); null when the provider has none to give (Gmail's raw is kept at sync).
   * Offline: network_error; a message gone at the provider: provider_error with status 404.
   */
  original(remoteId: string): Promise<Uint8Array | null>;
}

/**
 * Label management at the provider; each answers the label as the index keeps it (LabelInput).
 * `parent`: made inside that label or folder (Gmail: by name, "parent/name"; Outlook: a child folder).
 * A label already gone is not an error for delete.
 */
export interface ProviderLabels {
  create(name: string, parent: { remoteId: string; name: string } | null): Promise<LabelInput>;
  rename(label: { remoteId: string; name: string }, name: string): Promise<LabelInput>;
  delete(remoteId: string): Promise<void>;
}

/** A draft as Outpost writes it to the provider: the composed MIME and the fields it was made from. */
export interface DraftContent {
  /** The RFC 822 message (Message-ID included: the draft's for its whole life). */
  raw: Buffer;
  /** Without <>. */
  rfc822MessageId: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  text: string;
  html: string | null;
  /** The provider's thread a reply draft belongs in. */
  providerThreadId: string | null;
}

/** Where a draft is at the provider. */
export interface SavedDraft {
  /** The provider's handle for updating, sending and deleting it (Gmail's draft id, Graph's message id). */
  draftId: string;
  /** The message the provider holds for it now (a Gmail update makes a new one). */
  messageRemoteId: string;
  threadRemoteId: string | null;
}

/**
 * Drafts kept at the provider, so they show in its Drafts on every device. A save with a draft id
 * replaces that draft (one gone meanwhile is created again); `find` looks a draft up by its Message-ID,
 * which settles a create whose answer was lost (a crash, a cut connection) without making a second one.
 */
export interface ProviderDrafts {
  save(content: DraftContent, draftId: string | null): Promise<SavedDraft>;
  /** A draft already gone is not an error. */
  delete(draftId: string): Promise<void>;
  find(rfc822MessageId: string): Promise<SavedDraft | null>;
}

/** What the provider has after an event edit was pushed. */
export interface EventWriteOutcome {
  /** The provider's id of the event (a create's new id); null when the event is gone there. */
  remoteId: string | null;
  /** The provider's version of the event now (Google's etag, Graph's changeKey). */
  etag: string | null;
  /**
   * The provider's copy had changed since the version the edit was made on: the later change was kept
   * ('provider': the edit was dropped; 'local': the edit replaced the provider's change).
   */
  conflict: { kept: 'provider' | 'local'; providerUpdatedAt: number | null } | null;
}

export interface ConnectOptions {
  /** Shows the consent page: shell.openExternal in Electron, the system browser or a printed URL headless. */
  openBrowser(url: string): Promise<void>;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** How a sync job runs: stopped through the signal, progress reported, retries and summaries logged. */
export interface SyncRun {
  signal: AbortSignal;
  reportProgress(done: number, total: number | null): void;
}

export interface MailSyncRequest {
  mode: JobMode;
  /**
   * The gmail-connections reference endpoint: with no stored position, catch up on the last day
   * instead of syncing everything (providers without such a mode sync as usual).
   */
  catchUp: boolean;
  /** Queued by the scheduler, not asked for: a provider may skip it while it knows the answer would be a refusal. */
  scheduled?: boolean;
}

export interface CalendarSyncRequest {
  full: boolean;
  window: CalendarWindow;
  /** Queued by the scheduler (see MailSyncRequest.scheduled). */
  scheduled?: boolean;
}

/** Counts a mail sync reports (the API's messagesProcessed / threadsProcessed). */
export interface SyncCounts {
  messagesProcessed: number;
  threadsProcessed: number;
  messagesDeleted: number;
  [key: string]: number;
}

/**
 * The counts of a mail sync with the mode it actually ran: `fullSyncs` is 1
 * when it walked the whole mailbox (asked to, the account's first sync, an
 * interrupted full sync resumed, or because the incremental position had
 * expired), 0 when it applied changes only. A parent job sums its accounts'.
 */
export function countsWithModeRun(counts: SyncCounts, modeRun: JobMode): SyncCounts {
  return { ...counts, fullSyncs: modeRun === 'full' ? 1 : 0 };
}

/** The mode a finished mail sync job ran: full when asked, or when any of its accounts walked its whole mailbox. */
export function modeRunOf(counts: Readonly<Record<string, number>>, requested: JobMode): JobMode {
  return requested === 'full' || (counts.fullSyncs ?? 0) > 0 ? 'full' : 'incremental';
}

export interface SentMessage {
  providerMessageId: string;
  providerThreadId: string | null;
}

/** How a provider accepts a message, and how a send whose outcome is unknown is found again. */
export interface MailSender {
  send(raw: Buffer, options: { providerThreadId: string | null }): Promise<SentMessage>;
  /** The sent message with this Message-ID (without <>), if the provider has it. */
  findSent(rfc822MessageId: string): Promise<SentMessage | null>;
  classify(error: unknown): FailureClass;
}

export type RsvpAnswer = 'accepted' | 'tentative' | 'declined';

export interface InvitationAnswer {
  calendarRemoteId: string;
  eventRemoteId: string;
  /** The user's own attendee address, as the event lists it. */
  attendeeEmail: string;
  answer: RsvpAnswer;
}
