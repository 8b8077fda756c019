import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createSession } from '../../../main/api/auth/sessions.ts';
import { type Core, startCore } from '../../../main/core/startCore.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { makeTempDir } from '../../support/tempDir.ts';

/** However loaded the machine, each wait ends within this (they end as soon as the state is reached). */
const LIMIT_MS = 60_000;
const TEST_MS = 4 * LIMIT_MS;

/** A webhook delivery that failed while its receiver was down survives a restart of the core and arrives afterwards. */
describe('webhook deliveries across a restart', () => {
  const dir = makeTempDir();
  const cores: Core[] = [];
  let receiver: Server | null = null;
  afterAll(async () => {
    for (const core of cores) await core.close().catch(() => {});
    receiver?.close();
    dir.remove();
  });

  const open = async () => {
    const core = await startCore({
      dataDir: dir.path,
      port: 0,
      version: 'test',
      rendererDir: null,
      schedule: false,
      webhookPollMs: 100,
      jobHandlers: { email_sync: async () => ({ messagesProcessed: 3 }) },
    });
    cores.push(core);
    return core;
  };

  it(
    'keeps the failed delivery, retries it after the restart, and logs both attempts',
    async () => {
      // A free port nobody listens on yet: the receiver is "down".
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const port = (probe.address() as AddressInfo).port;
      await new Promise<void>((resolve) => probe.close(() => resolve()));

      const first = await open();
      const account = ensureAccount(first.db, 'gmail', 'me@example.test');
      const token = createSession(first.db, { admin: true }).token;
      const api = (core: Core, path: string, init: { method?: string; body?: unknown } = {}) =>
        fetch(`${core.baseUrl}${path}`, {
          method: init.method ?? 'GET',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: init.body === undefined ? undefined : JSON.stringify(init.body),
        });
      const created = (await (
        await api(first, '/v1/webhooks', {
          method: 'POST',
          body: { url: `http://127.0.0.1:${port}/hook`, events: ['email.sync.completed'] },
        })
      ).json()) as { data: { id: string } };
      first.jobs.enqueue({ kind: 'email_sync', mode: 'incremental', accountIds: [account.id] });
      first.runner.wake();
      await first.runner.idle();
      const attempted = async (core: Core) =>
        (
          (await (await api(core, `/v1/webhooks/${created.data.id}/deliveries`)).json()) as {
            data: Array<{ status: string; attempts: number }>;
          }
        ).data;
      await expect.poll(async () => (await attempted(first))[0]?.attempts ?? 0, { timeout: LIMIT_MS }).toBe(1);
      expect((await attempted(first))[0]?.status).toBe('pending');
      await first.close();
      cores.length = 0;

      // The receiver comes up; time passes beyond the retry's backoff; the core starts again.
      const bodies: string[] = [];
      receiver = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => {
          body += c.toString();
        });
        req.on('end', () => {
          bodies.push(body);
          res.writeHead(200).end();
        });
      });
      await new Promise<void>((resolve) => receiver?.listen(port, '127.0.0.1', resolve));
      const second = await open();
      second.db.prepare(`UPDATE webhook_deliveries SET next_attempt_at = 0 WHERE status = 'pending'`).run();
      await expect.poll(() => bodies.length, { timeout: LIMIT_MS }).toBe(1);
      expect(JSON.parse(bodies[0] as string)).toMatchObject({ type: 'email.sync.completed' });
      await expect.poll(async () => (await attempted(second))[0]?.status, { timeout: LIMIT_MS }).toBe('delivered');
      expect((await attempted(second))[0]?.attempts).toBe(2);
    },
    TEST_MS,
  );
});
