import { isErrorCode } from '../../shared/errors.ts';
import type { JobSnapshot } from '../../shared/events.ts';
import { createSession, endSession } from '../api/auth/sessions.ts';
import { openIndexForWriting } from '../core/indexAccess.ts';
import { OutpostError } from '../core/outpostError.ts';
import type { ReadableDb } from '../db/handles.ts';
import { jobReader, openEventStream } from './eventStream.ts';
import { SyncFollower } from './syncFollower.ts';
import { ProgressBoard } from './syncProgress.ts';

export interface RemoteSyncOptions {
  dataDir: string;
  full: boolean;
  /** One account asked for by `--account`. */
  accountId?: string;
  /** The accounts the sync covers (their lines), read from the index; throws when there are none. */
  select(db: ReadableDb): ReadonlyArray<{ id: string; email: string }>;
}

/**
 * `outpost sync` while `outpost serve` (or the desktop app) holds the data
 * directory: the running server syncs instead. The command signs in with a
 * session of its own (made in the index, as `outpost session create` does,
 * and ended when it is done), follows the server's event stream, asks for the
 * sync (POST /v1/email/sync, with `account_id` for one account) and
 * returns the finished job once the server's sync has ended.
 */
export async function syncThroughServer(
  port: number,
  options: RemoteSyncOptions,
): Promise<{ job: JobSnapshot; accounts: number }> {
  const baseUrl = `http://127.0.0.1:${port}`;
  const db = openIndexForWriting(options.dataDir);
  let token: string | null = null;
  try {
    const accounts = options.select(db);
    process.stderr.write(`another Outpost is using ${options.dataDir}: syncing through its API on 127.0.0.1:${port}\n`);
    token = createSession(db, { admin: true }).token; // the UI's kind: non-admin sessions only read
    const headers = { authorization: `Bearer ${token}` };
    const board = new ProgressBoard(process.stderr);
    for (const account of accounts) board.add(account.id, account.email);
    const follower = new SyncFollower(board, jobReader(baseUrl, token));
    const stream = await openEventStream(baseUrl, token, (event) => follower.handle(event));
    try {
      const mode = options.full ? 'full' : 'incremental';
      const body = options.accountId ? { mode, account_id: options.accountId } : { mode };
      const { data } = await call<{ data: { job_id: string } }>(baseUrl, headers, '/v1/email/sync', body);
      const asked = follower.finished(data.job_id);
      // A sync the server counted as covering this one may have ended before the stream opened.
      const current = await follower.lookup(data.job_id);
      if (current) follower.settle(current);
      const stopped = stream.ended.then(() => {
        throw new OutpostError('network_error', `Outpost at ${baseUrl} stopped before the sync ended`);
      });
      const job = await Promise.race([asked, stopped]);
      board.close();
      return { job, accounts: accounts.length };
    } finally {
      stream.close();
    }
  } finally {
    if (token) endSession(db, token);
    db.close();
  }
}

/** POSTs to the local API; its error answers become the same OutpostError (code and message) the CLI prints. */
async function call<T>(baseUrl: string, headers: Record<string, string>, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = (await response.json().catch(() => ({}))) as {
    code?: string;
    message?: string;
    title?: string;
    detail?: string;
  };
  if (!response.ok) {
    const code = answer.code ?? '';
    throw new OutpostError(
      isErrorCode(code) ? code : 'internal_error',
      answer.message ?? answer.detail ?? `${path} answered ${response.status}`,
    );
  }
  return answer as T;
}
