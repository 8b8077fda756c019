import type { ApiServer } from '../api/server.ts';
import { checkIndexFileInBackground, isCorruptionError } from '../db/integrity.ts';
import { type IndexDamage, IndexDamagedError, readDamageNote, recordDamage } from './indexCondition.ts';
import type { Log } from './log.ts';
import { indexPath } from './paths.ts';

export interface DamageWatch {
  damage(): IndexDamage | null;
  stop(): void;
}

/** Paths that reach the index; /v1/health, the UI's files and the API's documents stay up to tell about the damage. */
const touchesIndex = (url: string) =>
  (url.startsWith('/v1/') || url.startsWith('/api/') || url.startsWith('/gmail-connections/')) && !url.startsWith('/v1/health');

/**
 * Watches a running core's index for damage found after it opened: the
 * integrity check in a child process (an index too large to check before
 * opening) and any SQLITE_CORRUPT a request meets. Once damage is known it is
 * written down (main/core/indexCondition.ts), `onDamage` stops every writer
 * (sync, outbox, webhooks), and the API answers index_corrupt on every route
 * that reaches the index; GET /v1/health reports it and the UI shows it.
 */
export function watchIndexDamage(options: {
  dataDir: string;
  api: ApiServer;
  log: Log;
  checkInBackground: boolean;
  onDamage: (damage: IndexDamage) => void;
  /** Damage the engine's syncs met (Engine.onIndexDamage). */
  engineDamage?: (listener: (damage: IndexDamage) => void) => () => void;
}): DamageWatch {
  let known: IndexDamage | null = readDamageNote(options.dataDir);
  let stopped = false;
  const found = (problems: string[], how: string) => {
    if (known || stopped) return;
    known = readDamageNote(options.dataDir) ?? recordDamage(options.dataDir, problems);
    options.log.error({ problems: known.problems, how }, 'the index is damaged: every write stopped; run outpost repair');
    options.onDamage(known);
  };
  options.api.addHook('onRequest', async (request) => {
    if (known && touchesIndex(request.url)) throw new IndexDamagedError(known);
  });
  options.api.addHook('onError', async (_request, _reply, error) => {
    if (isCorruptionError(error)) found([`${error.message} (${(error as { code?: string }).code})`], 'a request');
  });
  const unsubscribe = options.engineDamage?.((damage) => found(damage.problems, 'a sync'));
  const check = options.checkInBackground ? checkIndexFileInBackground(indexPath(options.dataDir)) : null;
  if (check) {
    const started = performance.now();
    check.result.then(
      (report) => {
        if (!report) return;
        options.log.info({ ok: report.ok, ms: Math.round(performance.now() - started) }, 'integrity check of the index');
        if (!report.ok) found(report.problems, 'the integrity check after start');
      },
      (error: unknown) => options.log.warn({ err: error }, 'the integrity check of the index could not run'),
    );
  }
  return {
    damage: () => known,
    stop() {
      stopped = true;
      unsubscribe?.();
      check?.stop();
    },
  };
}
