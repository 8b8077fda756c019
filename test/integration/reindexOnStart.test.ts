import { afterAll, describe, expect, it, vi } from 'vitest';
import { createSession } from '../../main/api/auth/sessions.ts';
import { blobsDir, indexPath } from '../../main/core/paths.ts';
import { startCore } from '../../main/core/startCore.ts';
import { BlobStore } from '../../main/db/blobStore.ts';
import { openIndex } from '../../main/db/openIndex.ts';
import { ensureAccount } from '../../main/db/queries/accounts.ts';
import { countMessagesToReindex } from '../../main/db/queries/searchableText.ts';
import { importRawMessages } from '../../main/mail/importRawMessages.ts';
import { loadCorpus } from '../emulator/kit/corpus.ts';
import { makeTempDir } from '../support/tempDir.ts';

const HTML_SAYS_MORE = 'hard-ham-1/00064.a80b45bb0339ed948bbbd968c074c60e';
const BOUNCE = 'easy-ham-1/01436.dc449ba377210e77d84647619e49c872';

describe('outpost serve reads messages stored before migration 18 again, in the background', () => {
  const dir = makeTempDir();
  afterAll(() => dir.remove());

  it('finds their HTML-only and bounce words through the API once it is done', async () => {
    const db = openIndex(indexPath(dir.path));
    const account = ensureAccount(db, 'local', 'me@example.test');
    const keys = new Set([HTML_SAYS_MORE, BOUNCE]);
    const raws = loadCorpus()
      .filter((m) => keys.has(m.key))
      .map((m) => m.raw);
    await importRawMessages(db, new BlobStore(db, blobsDir(dir.path)), account.id, raws, { attachmentSizeCap: 2 ** 20 });
    // What migration 18 leaves of messages whose raw message is kept.
    db.exec('UPDATE messages SET searchable_text = NULL');
    db.close();

    const core = await startCore({ dataDir: dir.path, port: 0, version: 'test', rendererDir: null, schedule: false });
    try {
      const token = createSession(core.db, { admin: false }).token;
      const search = async (q: string) => {
        const response = await fetch(`${core.baseUrl}/v1/email/search?q=${encodeURIComponent(q)}&group=messages`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(response.status).toBe(200);
        return ((await response.json()) as { data: unknown[] }).data.length;
      };
      await vi.waitFor(() => expect(countMessagesToReindex(core.db)).toBe(0), { timeout: 20_000, interval: 20 });
      expect(await search('comicshelp')).toBe(1);
      expect(await search('communigate')).toBe(1);
    } finally {
      await core.close();
    }
  });
});
