import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../main/api/auth/apiKeys.ts';
import { type Core, startCore } from '../../../main/core/startCore.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { makeTempDir } from '../../support/tempDir.ts';

/** A deterministic PRNG, so a failing case can be reproduced from its index. */
function prng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const ROUTES = ['/v1/email/sync', '/v1/calendar/sync', '/v1/email/send', '/v1/keys', '/gmail-connections/not-a-uuid/sync'];
const BODIES: ((r: () => number) => string)[] = [
  () => '{',
  () => '{"mode": 42}',
  () => '{"mode": "sideways"}',
  () => '{"provider": ["gmail"]}',
  () => '[]',
  () => 'null',
  () => '"string"',
  () => '{"from_date": "2026-13-45", "mode": "full"}',
  () => '{"to": "a@b.c\\r\\nBcc: x@y.z", "subject": "s", "body_text": "b"}',
  () => '{"to": "a@example.com", "subject": "s\\nX: y", "body_text": "b"}',
  () =>
    '{"to": "a@example.com", "subject": "s", "body_text": "b", "attachments": [{"filename": "f", "storage_path": "../../../etc/passwd"}]}',
  () =>
    '{"to": "a@example.com", "subject": "s", "body_text": "b", "attachments": [{"filename": "f", "storage_path": "/tmp/%2e%2e/etc"}]}',
  () => '{"to": 5, "subject": null}',
  () => '{"name": "", "scopes": ["root"]}',
  (r) => `{"mode": "${'x'.repeat(Math.floor(r() * 5000))}"}`,
  (r) => Buffer.from(Array.from({ length: 64 }, () => Math.floor(r() * 256))).toString('latin1'),
  () => '{"__proto__": {"admin": true}, "mode": "incremental", "extra": 1}',
];

function send(port: number, options: { path: string; headers: Record<string, string>; body: string }) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: options.path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(Buffer.from(options.body, 'latin1'));
  });
}

describe('fuzz: malformed requests never change the index and always get a JSON 4xx', () => {
  const dir = makeTempDir();
  let core: Core;
  let key: string;

  const checksum = () => {
    const hash = createHash('sha256');
    const tables = core.db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%' AND name NOT IN ('rate_limit_windows', 'api_keys') ORDER BY name",
      )
      .all() as { name: string }[];
    for (const { name } of tables)
      hash.update(name).update(JSON.stringify(core.db.prepare(`SELECT * FROM "${name}"`).raw().all()));
    return hash.digest('hex');
  };

  beforeAll(async () => {
    core = await startCore({ dataDir: dir.path, port: 0, version: 'test', rendererDir: null, schedule: false, jobHandlers: {} });
    ensureAccount(core.db, 'gmail', 'me@example.test');
    key = createApiKey(core.db, 'fuzz', ['read:email', 'write:email', 'read:calendar', 'write:calendar']).key;
  });
  afterAll(async () => {
    await core.close();
    dir.remove();
  });

  it('3000 malformed requests', async () => {
    const before = checksum();
    const random = prng(7);
    const headerVariants: ((r: () => number) => Record<string, string>)[] = [
      () => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' }),
      () => ({ authorization: `Bearer ${key}`, 'content-type': 'text/plain' }),
      () => ({ authorization: 'Bearer', 'content-type': 'application/json' }),
      () => ({ authorization: `Basic ${key}`, 'content-type': 'application/json' }),
      () => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': 'k\u00e9y' }),
      () => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json', host: 'evil.example' }),
    ];
    const cases = Array.from({ length: 3000 }, (_, i) => i);
    const failures: string[] = [];
    for (let start = 0; start < cases.length; start += 50) {
      await Promise.all(
        cases.slice(start, start + 50).map(async (i) => {
          const path = ROUTES[Math.floor(random() * ROUTES.length)] as string;
          const body = (BODIES[Math.floor(random() * BODIES.length)] as (r: () => number) => string)(random);
          const headers = (
            headerVariants[Math.floor(random() * headerVariants.length)] as (r: () => number) => Record<string, string>
          )(random);
          const res = await send(core.port, {
            path,
            headers: { ...headers, 'content-length': String(Buffer.byteLength(body, 'latin1')) },
            body,
          });
          let parsed: { code?: unknown; message?: unknown; request_id?: unknown } = {};
          try {
            parsed = JSON.parse(res.body);
          } catch {}
          const ok =
            res.status >= 400 &&
            res.status < 500 &&
            typeof parsed.code === 'string' &&
            typeof parsed.message === 'string' &&
            parsed.request_id === res.headers['x-request-id'] &&
            res.headers['x-ratelimit-limit'] !== undefined;
          if (!ok)
            failures.push(
              `#${i} ${path} ${JSON.stringify(headers)} ${body.slice(0, 80)} -> ${res.status} ${res.body.slice(0, 120)}`,
            );
        }),
      );
    }
    expect(failures.slice(0, 5)).toEqual([]);
    const huge = await send(core.port, {
      path: '/v1/email/sync',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: `{"mode":"${'x'.repeat(2 * 1024 * 1024)}"}`,
    });
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body).code).toBe('payload_too_large');
    expect((await fetch(`${core.baseUrl}/v1/health`)).status).toBeLessThan(500);
    expect(checksum()).toBe(before);
  });
});
