import { randomUUID } from 'node:crypto';
import { Type } from 'typebox';
import {
  CalendarSyncBody,
  EmailSyncBody,
  GmailConnectionParams,
  ProblemDetails,
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
import { describeProvider } from '../../providers/descriptions.ts';
import { ProviderRegistry } from '../../providers/registry.ts';
import { type RateLimits, setRateLimitHeaders } from '../rateLimits.ts';
import type { ApiDeps, ApiServer } from '../server.ts';

const DAY_MS = 24 * 3600_000;
const errors = Object.fromEntries([400, 401, 403, 404, 409, 429].map((s) => [s, { $ref: 'ApiError#' }]));
/** Route config: these routes report (and consume) the hourly on-demand sync cap. */
const emailSync = { rateLimit: 'sync', idempotent: true, auth: { scope: 'write:email' } } as const;
const calendarSync = { rateLimit: 'sync', idempotent: true, auth: { scope: 'write:calendar' } } as const;

export function registerSyncRoutes(app: ApiServer, deps: ApiDeps & { limits: RateLimits }): void {
  const { writer: db, jobs } = deps;

  app.post(
    '/v1/email/sync',
    {
      config: emailSync,
      schema: { summary: 'Trigger an email sync', body: EmailSyncBody, response: { 200: SyncQueuedResponse, ...errors } },
    },
    async (request, reply) => {
      const { mode = 'incremental', provider } = request.body ?? {};
      const accounts = connected(db).filter((a) => ProviderRegistry.matches(a, provider));
      if (accounts.length === 0)
        throw new OutpostError(
          'insufficient_permissions',
          provider ? `no ${provider} mailbox is connected` : 'no mailbox is connected',
        );
      const job = enqueueCapped(deps, reply, () => jobs.enqueue({ kind: 'email_sync', mode, accountIds: ids(accounts) }));
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
      const from = fromDate === undefined ? now - 90 * DAY_MS : parseIsoDate(fromDate, 'from_date');
      const to = toDate === undefined ? now + 180 * DAY_MS : parseIsoDate(toDate, 'to_date');
      if (from >= to) throw new OutpostError('validation_error', 'from_date must be before to_date', { field: 'from_date' });
      const accounts = connected(db).filter((a) => ProviderRegistry.matches(a, provider));
      if (accounts.length === 0)
        throw new OutpostError(
          'insufficient_permissions',
          provider ? `no ${provider} calendar is connected` : 'no calendar is connected',
        );
      const params = mode === 'full' ? { from: new Date(from).toISOString(), to: new Date(to).toISOString() } : {};
      const job = enqueueCapped(deps, reply, () =>
        jobs.enqueue({ kind: 'calendar_sync', mode, accountIds: ids(accounts), params }),
      );
      return { data: queued(job) };
    },
  );

  app.post(
    '/gmail-connections/:id/sync',
    {
      config: emailSync,
      schema: {
        summary: 'Trigger a Gmail sync of one connection (history since the stored historyId, else a 24-hour catch-up)',
        params: GmailConnectionParams,
        response: { ...errors, 202: SyncStartedResponse, 404: ProblemDetails },
      },
    },
    async (request, reply) => {
      const account = getAccount(db, request.params.id);
      if (!account || !ProviderRegistry.matches(account, 'gmail')) {
        const detail = `no Gmail connection ${request.params.id}`;
        return reply.status(404).header('content-type', 'application/problem+json; charset=utf-8').send({
          type: null,
          title: 'Gmail.ConnectionNotFound',
          status: 404,
          detail,
          instance: request.url,
          code: 'not_found',
          message: detail,
          request_id: request.id,
        });
      }
      const job = enqueueCapped(deps, reply, () =>
        jobs.enqueue({
          kind: 'email_sync',
          mode: 'incremental',
          accountIds: [account.id],
          params: { trigger: 'gmail-connections' },
          id: randomUUID(),
        }),
      );
      return reply.status(202).send({ jobId: job.id });
    },
  );

  app.post(
    '/api/services/:id/sync',
    {
      config: { rateLimit: 'sync', auth: 'admin' },
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
      if (jobs.hasOpenJob('email_sync', account.id))
        throw new OutpostError(
          'sync_in_progress',
          `a sync of service ${account.id} is already running; do not sync it concurrently`,
        );
      const job = enqueueCapped(deps, reply, () => jobs.enqueue({ kind: 'email_sync', mode, accountIds: [account.id] }));
      const done = await settled(deps, job.id);
      if (done.status === 'failed') throw jobFailure(done);
      return {
        ok: true,
        mode,
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
 * Enqueues within the hourly cap: the window is checked first, the job queued,
 * and only a queued job consumes the window (a 409 costs nothing).
 */
function enqueueCapped(
  { limits, runner }: { limits: RateLimits; runner: ApiDeps['runner'] },
  reply: import('fastify').FastifyReply,
  enqueue: () => JobSnapshot,
): JobSnapshot {
  const window = limits.peekSync();
  if (window.remaining <= 0) limits.takeSync();
  const job = enqueue();
  setRateLimitHeaders(reply, limits.takeSync());
  runner.wake();
  return job;
}

function queued(job: JobSnapshot) {
  return { job_id: job.id, status: job.status, mode: job.mode, queued_at: job.queued_at.replace(/\.\d{3}Z$/, 'Z') };
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function parseIsoDate(value: string, field: string): number {
  const ms = ISO_8601.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new OutpostError('validation_error', `${field} must be an ISO 8601 date or date-time`, { field });
  return ms;
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
