import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { errorReplyOf } from '../../../main/api/errorReplies.ts';
import { registerHealthRoutes } from '../../../main/api/routes/health.ts';
import type { ApiServer } from '../../../main/api/server.ts';
import { watchIndexDamage } from '../../../main/core/damageWatch.ts';
import { openEngine } from '../../../main/core/engine.ts';
import { assessIndex, damageNotePath, type IndexDamage } from '../../../main/core/indexCondition.ts';
import { silentLog } from '../../../main/core/log.ts';
import { openIndex, openReader } from '../../../main/db/openIndex.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { writeRandomBytesIntoMiddle } from '../../support/damageIndex.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';
import { makeTempDir } from '../../support/tempDir.ts';

/** A small index with 600 messages of 3 kB bodies, checkpointed, then 32 KiB of random bytes into its middle. */
function damagedDataDir(dir: string): string {
  const db = openIndex(join(dir, 'index.sqlite'));
  const { account, inbox } = seedAccount(db);
  writeMessages(
    db,
    account.id,
    Array.from({ length: 600 }, (_, n) =>
      messageInput({ remoteId: `m${n}`, bodyText: `message ${n} `.repeat(250), labelIds: [inbox] }),
    ),
  );
  db.close();
  writeRandomBytesIntoMiddle(join(dir, 'index.sqlite'));
  return dir;
}

function stubApi(): ApiServer {
  const app: ApiServer = Fastify().withTypeProvider<TypeBoxTypeProvider>();
  app.setErrorHandler((error, request, reply) => {
    const answer = errorReplyOf(error, { message: '' }) ?? { status: 500, code: 'internal_error', message: String(error) };
    void reply.status(answer.status).send({ code: answer.code, message: answer.message, request_id: request.id });
  });
  app.get('/v1/corrupt', { config: { auth: 'public' } }, async () => {
    throw Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
  });
  app.get('/v1/fine', { config: { auth: 'public' } }, async () => ({ ok: true }));
  return app;
}

describe('a running core that finds damage after opening stops writing and says so', () => {
  const dirs: Array<{ remove(): void }> = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove();
  });

  it('the background check of an index too large to check at open finds the damage: noted, health reports it, routes refuse', async () => {
    const temp = makeTempDir();
    dirs.push(temp);
    const dataDir = damagedDataDir(temp.path);
    // Past the size checked at open: the opening leaves it to the background check.
    expect(assessIndex(dataDir, { maxBytes: 0 })).toEqual({ damage: null, checked: false });
    const app = stubApi();
    registerHealthRoutes(app, {
      version: 'test',
      reader: openReader(openIndex(join(dataDir, 'index.sqlite'), { migrate: false })),
    });
    const found = new Promise<IndexDamage>((resolve) => {
      watchIndexDamage({ dataDir, api: app, log: silentLog, checkInBackground: true, onDamage: resolve });
    });
    const damage = await found;
    expect(damage.problems.length).toBeGreaterThan(0);
    expect(existsSync(damageNotePath(dataDir))).toBe(true);
    const refused = await app.inject('/v1/fine');
    expect(refused.statusCode).toBe(500);
    expect(refused.json()).toMatchObject({ code: 'index_corrupt', message: expect.stringMatching(/run outpost repair$/) });
    const health = (await app.inject('/v1/health')).json() as { status: string; index_damage: { problems: string[] } };
    expect(health).toMatchObject({ status: 'damaged', accounts: null });
    expect(health.index_damage.problems).toEqual(damage.problems);
    // Every later opening knows it at once, whatever the size limit.
    expect(assessIndex(dataDir, { maxBytes: 0 }).damage).toMatchObject({ problems: damage.problems });
  });

  it('a request that meets SQLITE_CORRUPT marks the index damaged: the next requests are refused, health reports it', async () => {
    const temp = makeTempDir();
    dirs.push(temp);
    const db = openIndex(join(temp.path, 'index.sqlite'));
    const app = stubApi();
    registerHealthRoutes(app, { version: 'test', reader: db });
    let damaged: IndexDamage | null = null;
    const watch = watchIndexDamage({
      dataDir: temp.path,
      api: app,
      log: silentLog,
      checkInBackground: false,
      onDamage: (damage) => {
        damaged = damage;
      },
    });
    expect((await app.inject('/v1/fine')).statusCode).toBe(200);
    expect((await app.inject('/v1/corrupt')).statusCode).toBe(500);
    expect(damaged).toMatchObject({ problems: ['database disk image is malformed (SQLITE_CORRUPT)'] });
    expect(watch.damage()).toBe(damaged);
    expect((await app.inject('/v1/fine')).json()).toMatchObject({ code: 'index_corrupt' });
    expect((await app.inject('/v1/health')).json()).toMatchObject({ status: 'damaged' });
    db.close();
  });

  it('a sync that meets SQLITE_CORRUPT writes the damage down, stops the syncs and tells the core', async () => {
    const temp = makeTempDir();
    dirs.push(temp);
    const engine = openEngine({
      log: silentLog,
      dataDir: temp.path,
      jobHandlers: {
        email_sync: async () => {
          throw Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
        },
      },
    });
    try {
      const account = ensureAccount(engine.db, 'gmail', 'me@example.test');
      const told: IndexDamage[] = [];
      engine.onIndexDamage((damage) => told.push(damage));
      const job = engine.jobs.enqueue({ kind: 'email_sync', mode: 'incremental', accountIds: [account.id] });
      engine.runner.wake();
      await engine.runner.idle();
      // Stopped as at shutdown: its row is not written again (nothing more goes into a damaged file).
      expect(engine.jobs.get(job.id)).toMatchObject({ status: 'running' });
      expect(told).toHaveLength(1);
      expect(told[0]?.problems).toEqual(['database disk image is malformed (SQLITE_CORRUPT)']);
      expect(existsSync(damageNotePath(temp.path))).toBe(true);
      // No further job is started.
      const next = engine.jobs.enqueue({ kind: 'email_sync', mode: 'incremental', accountIds: [account.id] });
      engine.runner.wake();
      await engine.runner.idle();
      expect(engine.jobs.get(next.id)).toMatchObject({ status: 'queued' });
    } finally {
      await engine.close();
    }
  });
});
