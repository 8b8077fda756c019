import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  CalendarSyncBody,
  EmailSyncBody,
  GmailConnectionParams,
  ServiceSyncQuery,
  ServiceSyncResponse,
  SyncQueuedResponse,
  SyncStartedResponse,
} from '../../../shared/api/sync.ts';
import { type ErrorCode, isErrorCode } from '../../../shared/errors.ts';
import type { JobMode, JobSnapshot } from '../../../shared/events.ts';
import { OutpostError } from '../../core/outpostError.ts';
import type { ReadableDb } from '../../db/handles.ts';
import { type AccountRow, getAccount, listAccounts } from '../../db/queries/accounts.ts';
import { modeRunOf } from '../../providers/accountProvider.ts';
import { describeProvider } from '../../providers/descriptions.ts';
import { ProviderRegistry } from '../../providers/registry.ts';
import type { EnqueueRequest } from '../../sync/jobQueue.ts';
import { parseIsoInstant } from '../isoDates.ts';
import { canonicalId, isUiSyncNow, type RateLimits, type SyncBucket, setRateLimitHeaders } from '../rateLimits.ts';
import type { ApiDeps, ApiServer } from '../server.ts';
import { syncNowFromUi } from '../uiSyncNow.ts';
import { answerErrorsAsProblems, problemResponses } from './gmailConnectionProblems.ts';

const DAY_MS = 24 * 3600_000;
const errors = Object.fromEntries([400, 401, 403, 404, 409, 429].map((s) => [s, { $ref: 'ApiError#' }]));

/** Route configs: each sync route reports (and takes from) its own on-demand sync cap (main/api/rateLimits.ts). */
const emailSync = { rateLimit: 'sync', syncCap: 'email', idempotent: true, auth: { scope: 'write:email' } } as const;
const calendarSync = { rateLimit: 'sync', syncCap: 'calendar', idempotent: true, auth: { scope: 'write:calendar' } } as const;
const connectionSync = { rateLimit: 'sync', syncCap: 'connection', idempotent: true, auth: { scope: 'write:email' } } as const;
const serviceSync = { rateLimit: 'sync', syncCap: 'service', auth: 'admin' } as const;

type SyncDeps = ApiDeps & { limits: RateLimits };

export function registerSyncRoutes(app: ApiServer, deps: SyncDeps): void {
  const { writer: db } = deps;

  app.post(
    '/v1/email/sync',
    {
      config: emailSync,
      schema: { summary: 'Trigger an email sync', body: EmailSyncBody, response: { 200: SyncQueuedResponse, ...errors } },
    },
    async (request, reply) => {
      const { mode = 'incremental', provider, account_id: accountId } = request.body ?? {};
      const accounts = connected(db).filter(
        (a) => ProviderRegistry.matches(a, provider) && (accountId === undefined || a.id === accountId),
      );
      if (accountId !== undefined && accounts.length === 0)
        throw new OutpostError('not_connected', `no connected mailbox ${accountId}`, { field: 'account_id' });
      if (accounts.length === 0)
        throw new OutpostError(
          'insufficient_permissions',
          provider ? `no ${provider} mailbox is connected` : 'no mailbox is connected',
        );
      const job = syncNow(deps, request, reply, { kind: 'email_sync', mode, accountIds: ids(accounts) });
      return { data: queued(job) };
    },
  );

  app.post(
    '/v1/calendar/sync',
    {
      config: calendarSync,
      schema: { summary: 'Trigger a calendar sync', body: CalendarSyncBody, response: { 200: SyncQueuedResponse, ...errors } },
    },
    async (request, reply) => {
      const { mode = 'incremental', provider, from_date: fromDate, to_date: toDate } = request.body ?? {};
      const now = Date.now();
      const from = fromDate === undefined ? now - 90 * DAY_MS : parseIsoInstant(fromDate, 'from_date');
      const to = toDate === undefined ? now + 180 * DAY_MS : parseIsoInstant(toDate, 'to_date');
      if (from >= to) throw new OutpostError('validation_error', 'from_date must be before to_date', { field: 'from_date' });
      const accounts = connected(db).filter((a) => ProviderRegistry.matches(a, provider));
      if (accounts.length === 0)
        throw new OutpostError(
          'insufficient_permissions',
          provider ? `no ${provider} calendar is connected` : 'no calendar is connected',
        );
      const params = mode === 'full' ? { from: new Date(from).toISOString(), to: new Date(to).toISOString() } : {};
      const job = syncNow(deps, request, reply, { kind: 'calendar_sync', mode, accountIds: ids(accounts), params });
      return { data: queued(job) };
    },
  );

  app.post(
    '/gmail-connections/:id/sync',
    {
      config: connectionSync,
      // Dolfin's reference answers its errors as application/problem+json: every error of this route is one.
      onSend: answerErrorsAsProblems,
      schema: {
        summary: 'Trigger a Gmail sync of one connection (history since the stored historyId, else a 24-hour catch-up)',
        params: GmailConnectionParams,
        response: { 202: SyncStartedResponse, ...problemResponses([400, 401, 403, 404, 409, 429]) },
      },
    },
    async (request, reply) => {
      // The connection's UUID in any case: account ids are stored lower-case.
      const account = getAccount(db, canonicalId('connection', request.params.id));
      if (!account || !ProviderRegistry.matches(account, 'gmail'))
        throw new OutpostError('not_found', `no Gmail connection ${request.params.id}`);
      const job = enqueueCapped(deps, reply, deps.limits.syncBucket('connection', account.id), {
        kind: 'email_sync',
        mode: 'incremental',
        accountIds: [account.id],
        params: { trigger: 'gmail-connections' },
        id: randomUUID(),
      });
      return reply.status(202).send({ jobId: job.id });
    },
  );

  app.post(
    '/api/services/:id/sync',
    {
      config: serviceSync,
      schema: {
        summary: 'Sync one service (account) now and wait for the result (admin session)',
        params: Type.Object({ id: Type.String({ maxLength: 200 }) }),
        querystring: ServiceSyncQuery,
        response: { 200: ServiceSyncResponse, ...errors, 502: { $ref: 'ApiError#' }, 503: { $ref: 'ApiError#' } },
      },
    },
    async (request, reply) => {
      const mode: JobMode = request.query.mode ?? 'incremental';
      const account = getAccount(db, request.params.id);
      if (!account) throw new OutpostError('not_found', `no service ${request.params.id}`);
      if (!describeProvider(account.provider).capabilities.sync || account.status === 'disconnected')
        throw new OutpostError('not_connected', `service ${account.id} is not connected; connect it first`);
      if (account.status === 'needs_reauth')
        throw new OutpostError(
          'needs_reauth',
          `the OAuth connection of ${account.email} must be re-established (outpost accounts connect)`,
        );
      if (deps.jobs.hasOpenJob('email_sync', account.id))
        throw new OutpostError(
          'sync_in_progress',
          `a sync of service ${account.id} is already running; do not sync it concurrently`,
        );
      const bucket = deps.limits.syncBucket('service', account.id);
      const job = enqueueCapped(deps, reply, bucket, { kind: 'email_sync', mode, accountIds: [account.id] });
      const done = await settled(deps, job.id);
      if (done.status === 'failed') throw jobFailure(done);
      return {
        ok: true,
        // What ran: an incremental sync whose position had expired walked the whole mailbox.
        mode: modeRunOf(done.counts, mode),
        threadsProcessed: done.counts.threadsProcessed ?? 0,
        messagesProcessed: done.counts.messagesProcessed ?? 0,
      };
    },
  );
}

/** Active provider accounts (local mbox accounts have nothing to sync). */
function connected(db: ReadableDb): AccountRow[] {
  return listAccounts(db).filter((a) => describeProvider(a.provider).capabilities.sync && a.status === 'active');
}

function ids(accounts: readonly AccountRow[]): string[] {
  return accounts.map((a) => a.id);
}

/**
 * Queues a sync asked for on POST /v1/email/sync or /v1/calendar/sync: the
 * UI's own Sync now through its guard (no cap counts it; X-RateLimit-* stays
 * its general request budget), a script's within the route's cap.
 */
function syncNow(deps: SyncDeps, request: FastifyRequest, reply: FastifyReply, enqueue: EnqueueRequest): JobSnapshot {
  const cap = request.routeOptions.config.syncCap;
  if (!cap) throw new Error(`${request.routeOptions.url} declares no syncCap`);
  if (!isUiSyncNow(request)) return enqueueCapped(deps, reply, deps.limits.syncBucket(cap), enqueue);
  const { limits, jobs, runner } = deps;
  const job = syncNowFromUi(jobs, enqueue, { now: limits.now(), gapMs: limits.config.uiSyncGapSeconds * 1000 });
  runner.wake();
  return job;
}

/**
 * Enqueues within the bucket's cap: a free slot is checked first, the job
 * queued, and only a queued job takes the slot (a 409 costs nothing). The
 * answer reports the bucket (X-RateLimit-*).
 */
function enqueueCapped(
  { limits, jobs, runner }: SyncDeps,
  reply: FastifyReply,
  bucket: SyncBucket,
  enqueue: EnqueueRequest,
): JobSnapshot {
  limits.checkSync(bucket);
  const job = jobs.enqueue(enqueue);
  setRateLimitHeaders(reply, limits.takeSync(bucket));
  runner.wake();
  return job;
}

function queued(job: JobSnapshot) {
  return { job_id: job.id, status: job.status, mode: job.mode, queued_at: job.queued_at.replace(/\.\d{3}Z$/, 'Z') };
}

/** Resolves with the job once it succeeded or failed (events from the runner). */
function settled(deps: ApiDeps, jobId: string): Promise<JobSnapshot> {
  return new Promise((resolve) => {
    const current = deps.jobs.get(jobId);
    if (current && (current.status === 'succeeded' || current.status === 'failed')) return resolve(current);
    const stop = deps.events.subscribe((event) => {
      if (
        event.type === 'job.updated' &&
        event.job.id === jobId &&
        (event.job.status === 'succeeded' || event.job.status === 'failed')
      ) {
        stop();
        resolve(event.job);
      }
    });
  });
}

/** Job failures the route passes on with their own code; any other failure is the provider's (502). */
const SYNC_FAILURES: ReadonlySet<ErrorCode> = new Set([
  'needs_reauth',
  'not_connected',
  'quota_exceeded',
  'provider_error',
  'network_error',
]);

function jobFailure(job: JobSnapshot): OutpostError {
  const jobCode = job.error?.code;
  const code = isErrorCode(jobCode) && SYNC_FAILURES.has(jobCode) ? jobCode : 'provider_error';
  const hint = code === 'needs_reauth' ? '; reconnect the service' : '';
  return new OutpostError(code, `sync failed: ${job.error?.message ?? 'unknown error'}${hint}`);
}
