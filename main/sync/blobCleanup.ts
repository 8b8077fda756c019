import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Log } from '../core/log.ts';
import type { BlobStore } from '../db/blobStore.ts';
import type { WritableDb } from '../db/handles.ts';
import { releaseNotedBlobs } from '../db/queries/blobReferences.ts';
import { deleteSentOutboxRows } from '../db/queries/outbox.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Blob files deleted between two turns of the event loop. */
const FILES_PER_STEP = 25;

export interface BlobCleanupOptions {
  /** Rows, and noted blobs, handled per transaction; the event loop runs between batches. */
  batchSize: number;
  /** A blob stored less than this long ago and not yet referred to is left for a later pass. */
  graceMs: number;
  /** How long a sent outbox row (and so its raw message) is kept after it was sent. */
  sentRetentionMs: number;
}

export interface BlobCleanup {
  outboxRowsDeleted: number;
  blobsFreed: number;
  bytesFreed: number;
}

/** Sent outbox rows are kept 30 days unless OUTPOST_SENT_RETENTION_DAYS says otherwise (a positive number of days). */
export function blobCleanupOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): BlobCleanupOptions {
  const days = Number(env.OUTPOST_SENT_RETENTION_DAYS);
  return {
    batchSize: 500,
    graceMs: 60 * 60 * 1000,
    sentRetentionMs: (Number.isFinite(days) && days > 0 ? days : 30) * DAY_MS,
  };
}

const running = new WeakMap<WritableDb, Promise<BlobCleanup>>();

/**
 * Gives disk back (run after each mail sync): sent outbox rows past their
 * retention are deleted, then every blob noted as possibly unused (a message
 * or attachment deleted or rewritten, an outbox row deleted, a blob just
 * stored) is checked: one nothing refers to loses its row in a transaction,
 * then, after the commit, its file (BlobStore.deleteFiles, 25 files a turn of
 * the event loop: an unlink can take milliseconds on a busy disk), 500 blobs a
 * transaction with the event loop running between. A crash between the two leaves a file
 * without a row (never a row without its file). One clean-up at a time per
 * index: a second caller joins the one under way.
 */
export function cleanUpBlobs(
  deps: { db: WritableDb; blobs: BlobStore; log: Log },
  options: BlobCleanupOptions = blobCleanupOptionsFromEnv(),
): Promise<BlobCleanup> {
  const under = running.get(deps.db);
  if (under) return under;
  const run = cleanUp(deps, options).finally(() => running.delete(deps.db));
  running.set(deps.db, run);
  return run;
}

async function cleanUp(
  { db, blobs, log }: { db: WritableDb; blobs: BlobStore; log: Log },
  options: BlobCleanupOptions,
): Promise<BlobCleanup> {
  const started = Date.now();
  const done: BlobCleanup = { outboxRowsDeleted: 0, blobsFreed: 0, bytesFreed: 0 };
  for (;;) {
    const deleted = deleteSentOutboxRows(db, started - options.sentRetentionMs, options.batchSize);
    done.outboxRowsDeleted += deleted;
    if (deleted < options.batchSize) break;
    await yieldToEventLoop();
  }
  for (let after = ''; ; ) {
    const { freed, last } = releaseNotedBlobs(db, after, options.batchSize, started - options.graceMs);
    // A few files at a time (an unlink can take milliseconds on a busy disk), the event loop running
    // between: each file's row is checked as it is deleted, so a blob stored again meanwhile keeps it.
    for (let i = 0; i < freed.length; i += FILES_PER_STEP) {
      blobs.deleteFiles(freed.slice(i, i + FILES_PER_STEP).map((blob) => blob.sha256));
      await yieldToEventLoop();
    }
    done.blobsFreed += freed.length;
    for (const blob of freed) done.bytesFreed += blob.sizeBytes;
    if (last === null) break;
    after = last;
    await yieldToEventLoop();
  }
  if (done.outboxRowsDeleted > 0 || done.blobsFreed > 0)
    log.info({ ...done, ms: Date.now() - started }, 'freed blobs nothing refers to any more');
  return done;
}
