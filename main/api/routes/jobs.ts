import { JobParams, JobResponse } from '../../../shared/api/jobs.ts';
import { OutpostError } from '../../core/outpostError.ts';
import { requireScope } from '../auth/authenticate.ts';
import { principalOf } from '../auth/routeAuth.ts';
import type { ApiDeps, ApiServer } from '../server.ts';

const errors = Object.fromEntries([401, 403, 404].map((s) => [s, { $ref: 'ApiError#' }]));

/** How a queued sync job is doing, and how it ended. */
export function registerJobRoutes(app: ApiServer, { jobs }: ApiDeps): void {
  app.get(
    '/v1/jobs/:job_id',
    {
      // Any caller: a job is readable with the read scope of its kind, checked once the job is found.
      config: { auth: 'any' },
      schema: {
        summary: 'A sync job: status, progress, counts, error',
        params: JobParams,
        response: { 200: JobResponse, ...errors },
      },
    },
    async (request) => {
      const job = jobs.get(request.params.job_id);
      if (!job) throw new OutpostError('not_found', `no job ${request.params.job_id}`);
      requireScope(principalOf(request), job.kind === 'email_sync' ? 'read:email' : 'read:calendar');
      return { data: job };
    },
  );
}
