import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { indexPath } from '../../main/core/paths.ts';
import { asReadable } from '../../main/db/handles.ts';
import { explainStatements } from '../../main/db/queryPlans.ts';
import { parseSearchQuery } from '../../main/search/parseSearchQuery.ts';
import { searchMessages } from '../../main/search/searchMessages.ts';
import { writeCorpusMbox } from '../support/corpusMbox.ts';
import { startEmulatorCore } from '../support/emulatorCore.ts';
import { runCli } from '../support/serveProcess.ts';
import { makeTempDir } from '../support/tempDir.ts';

/** The indexes sqlite_stat1 describes, by table. */
function statisticsOf(db: Database.Database): Record<string, string[]> {
  const exists = db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'").pluck().get();
  if (!exists) return {};
  const byTable: Record<string, string[]> = {};
  for (const row of db.prepare('SELECT tbl, idx FROM sqlite_stat1 ORDER BY tbl, idx').all() as Array<{
    tbl: string;
    idx: string;
  }>) {
    byTable[row.tbl] = [...(byTable[row.tbl] ?? []), row.idx];
  }
  return byTable;
}

describe("the query planner's statistics are fresh after bulk writes", () => {
  const dir = makeTempDir();
  afterAll(() => dir.remove());

  it('import-mbox leaves statistics for the messages and their labels', async () => {
    const dataDir = join(dir.path, 'imported');
    const mbox = join(dir.path, 'corpus.mbox');
    writeCorpusMbox(mbox, 300);
    const imported = await runCli(['import-mbox', mbox, '--data-dir', dataDir]);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toMatch(/^imported 300 messages/);
    const db = new Database(indexPath(dataDir), { readonly: true });
    try {
      const stats = statisticsOf(db);
      expect(stats.messages).toEqual(expect.arrayContaining(['messages_by_search_key']));
      expect(stats.message_labels).toEqual(expect.arrayContaining(['message_labels_by_label']));
      expect(stats.thread_labels).toEqual(expect.arrayContaining(['thread_labels_by_date']));
      // With those statistics, label: reads the label's messages through its index, never every message.
      const reader = asReadable(db);
      const statements = explainStatements(reader, () =>
        expect(searchMessages(reader, parseSearchQuery('label:inbox'), { limit: 26, offset: 0 })).toHaveLength(26),
      );
      const plans = statements.map((s) => s.plan).join('\n');
      expect(plans).toMatch(/SEARCH ml USING COVERING INDEX message_labels_by_label \(label_id=\?\)/);
      expect(plans).not.toMatch(/SCAN (m|messages)\b(?! USING INDEX messages_by_)/);
    } finally {
      db.close();
    }
  });

  it("an account's first (full) sync leaves them too", async () => {
    const running = await startEmulatorCore(join(dir.path, 'synced'), { connect: 'google', messages: 40 });
    try {
      expect(statisticsOf(running.core.db).message_labels).toBeUndefined();
      const sync = await fetch(`${running.core.baseUrl}/v1/email/sync`, {
        method: 'POST',
        headers: { authorization: `Bearer ${running.adminSession}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(sync.status).toBe(200);
      await running.core.runner.idle();
      expect(running.core.db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(40);
      expect(statisticsOf(running.core.db).message_labels).toEqual(expect.arrayContaining(['message_labels_by_label']));
    } finally {
      await running.stop();
    }
  });
});
