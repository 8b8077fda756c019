import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../main/api/auth/apiKeys.ts';
import { assessIndex } from '../../../main/core/indexCondition.ts';
import { repairIndex } from '../../../main/core/indexRepair.ts';
import { blobsDir, indexPath } from '../../../main/core/paths.ts';
import { BlobStore } from '../../../main/db/blobStore.ts';
import { openForInspection } from '../../../main/db/integrity.ts';
import { openIndex } from '../../../main/db/openIndex.ts';
import { ensureAccount, listAccounts } from '../../../main/db/queries/accounts.ts';
import { listApiKeyRows } from '../../../main/db/queries/apiKeys.ts';
import { messageFingerprints } from '../../../main/db/queries/blobInventory.ts';
import { getCredential, putCredential } from '../../../main/db/queries/credentials.ts';
import { getOutboxRow, insertOutboxRow } from '../../../main/db/queries/outbox.ts';
import { importRawMessages } from '../../../main/mail/importRawMessages.ts';
import { loadCorpus } from '../../emulator/kit/corpus.ts';
import { writeRandomBytesIntoMiddle } from '../../support/damageIndex.ts';
import { makeTempDir } from '../../support/tempDir.ts';

describe('outpost repair (repairIndex)', () => {
  const dirs: Array<{ remove(): void }> = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove();
  });

  it('keeps accounts, sign-ins, API keys and unsent mail, and rebuilds every message from its raw bytes', async () => {
    const temp = makeTempDir();
    dirs.push(temp);
    const dataDir = temp.path;
    const db = openIndex(indexPath(dataDir));
    const blobs = new BlobStore(db, blobsDir(dataDir));
    const account = ensureAccount(db, 'gmail', 'me@example.test');
    const sealed = randomBytes(64);
    putCredential(db, account.id, 'refresh_token', sealed, 1);
    createApiKey(db, 'script', ['read:email']);
    const raws = loadCorpus()
      .slice(0, 600)
      .map((m) => m.raw);
    await importRawMessages(db, blobs, account.id, raws, { attachmentSizeCap: 25 * 2 ** 20 });
    const unsent = Buffer.from('From: me@example.test\r\nTo: you@example.test\r\nSubject: not sent yet\r\n\r\nhello\r\n');
    insertOutboxRow(db, {
      id: 'out_1',
      account_id: account.id,
      idempotency_key: 'k-1',
      rfc822_message_id: 'unsent@example.test',
      raw_sha256: blobs.put(unsent),
      provider_thread_id: null,
      contact_id: null,
      deal_id: null,
      next_attempt_at: 1,
      created_at: 1,
    });
    const before = messageFingerprints(db);
    db.close();
    writeRandomBytesIntoMiddle(indexPath(dataDir));
    expect(assessIndex(dataDir).damage).not.toBeNull();

    const result = await repairIndex(dataDir);
    expect(result).not.toBeNull();
    expect(result?.resyncs).toBe(2);
    expect(existsSync(result?.movedTo as string)).toBe(true);
    expect(readdirSync(dataDir).filter((name) => name.includes('.damaged-'))).toContain(
      `${result?.movedTo.split('/').at(-1)}.damage.json`,
    );
    expect(assessIndex(dataDir).damage).toBeNull();
    const after = openForInspection(indexPath(dataDir));
    try {
      expect(listAccounts(after).map((a) => a.email)).toContain('me@example.test');
      expect(getCredential(after, account.id, 'refresh_token')).toEqual(sealed);
      expect(getOutboxRow(after, 'out_1')).toMatchObject({ status: 'queued', idempotency_key: 'k-1' });
      expect(messageFingerprints(after)).toEqual(before);
      expect(listApiKeyRows(after).map((row) => row.name)).toEqual(['script']);
    } finally {
      after.close();
    }
    // A second repair finds nothing to do.
    expect(await repairIndex(dataDir)).toBeNull();
  });
});
