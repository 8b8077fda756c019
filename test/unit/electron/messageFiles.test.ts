import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { importMessageFile, messageFileArguments } from '../../../main/electron/messageFiles.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

describe('opening .eml files in the desktop app', () => {
  const dir = makeTempDir();
  let db: IndexDb;
  let api: LocalApiHarness;
  beforeAll(async () => {
    db = openIndex(':memory:');
    api = await buildLocalApi(db, dir.path);
  });
  afterAll(async () => {
    await api.app.close();
    db.close();
  });

  /** fetch, answered by the API in-process (the desktop calls the core's loopback API the same way). */
  const viaApi: typeof fetch = async (url, init) => {
    const answer = await api.app.inject({
      method: init?.method as 'POST',
      url: new URL(String(url)).pathname,
      headers: { ...(init?.headers as Record<string, string>), host: '127.0.0.1:7766' },
      payload: Buffer.from(init?.body as Uint8Array),
    });
    return new Response(answer.rawPayload, { status: answer.statusCode, headers: { 'content-type': 'application/json' } });
  };
  const core = () => ({ baseUrl: 'http://127.0.0.1:7766', sessionToken: api.adminSession });

  it('finds message files among launch arguments', () => {
    expect(messageFileArguments(['/opt/Outpost/outpost', '--no-sandbox', '/home/me/Receipt.EML', 'notes.txt', 'b.eml'])).toEqual([
      '/home/me/Receipt.EML',
      'b.eml',
    ]);
  });

  it('adds the file to the index through the API and returns the thread to show', async () => {
    const path = join(dir.path, 'hello.eml');
    writeFileSync(path, 'From: Ann <ann@example.test>\r\nSubject: Hello file\r\nMessage-ID: <f1@example.test>\r\n\r\nHi there');
    const threadId = await importMessageFile(path, core(), viaApi);
    expect(threadId).toMatch(/^thr_\d+$/);
    expect(db.prepare('SELECT subject FROM threads').pluck().all()).toEqual(['Hello file']);
  });

  it('says in words why a file cannot be opened', async () => {
    await expect(importMessageFile(join(dir.path, 'missing.eml'), core(), viaApi)).rejects.toThrow('the file does not exist');
    const empty = join(dir.path, 'empty.eml');
    writeFileSync(empty, '');
    await expect(importMessageFile(empty, core(), viaApi)).rejects.toThrow('the message is empty');
    await expect(importMessageFile(empty, { ...core(), sessionToken: 'wrong' }, viaApi)).rejects.toThrow();
  });
});
