// The notmuch benchmark's mailbox (test/bench/notmuchCorpus.ts): the copies
// Outpost imports and notmuch indexes must be what the bench says they are,
// or the two sides' counts cannot be compared.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BlobStore } from '../../../main/db/blobStore.ts';
import { openIndex } from '../../../main/db/openIndex.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { messageByRemoteId } from '../../../main/db/queries/threadReads.ts';
import { importRawMessages } from '../../../main/mail/importRawMessages.ts';
import { parseRfc822 } from '../../../main/mail/parseRfc822.ts';
import { normalizeSubject } from '../../../main/mail/threading.ts';
import { dateOf, EPOCH, messageIdOf, placementOf, rawCopy } from '../../bench/notmuchCorpus.ts';
import { loadCorpus } from '../../emulator/kit/corpus.ts';

const corpus = loadCorpus();
const TOTAL = 1000;
const dir = mkdtempSync(join(tmpdir(), 'outpost-notmuch-corpus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the notmuch benchmark corpus', () => {
  it('gives every copy its own Message-ID and the Date of its place, which Outpost reads as written', async () => {
    // Copies of the same template far apart (corpus.length apart), and the last of the mailbox.
    const picks = [0, 1, 2, corpus.length, corpus.length + 1, TOTAL - 1];
    const parsed = await Promise.all(picks.map((n) => parseRfc822(rawCopy(corpus, n, TOTAL))));
    expect(parsed.map((p) => p.rfc822MessageId)).toEqual(picks.map(messageIdOf));
    // Read from the Date header, not the template's Received stamps (gone from the copy).
    expect(parsed.map((p) => p.date)).toEqual(picks.map((n) => Math.floor(dateOf(n, TOTAL) / 1000) * 1000));
    expect(dateOf(0, TOTAL)).toBe(EPOCH);
    expect(new Date(dateOf(TOTAL - 1, TOTAL)).getUTCFullYear()).toBe(new Date(EPOCH).getUTCFullYear() + 11);
  });

  it('threads each three copies by references and subject, through the import both sides share', async () => {
    const db = openIndex(join(dir, 'index.sqlite'));
    try {
      const account = ensureAccount(db, 'local', 'bench@example.test');
      const blobs = new BlobStore(db, join(dir, 'blobs'));
      const raws = Array.from({ length: 9 }, (_, n) => rawCopy(corpus, n, TOTAL));
      const result = await importRawMessages(db, blobs, account.id, raws, { attachmentSizeCap: 1 << 20, read: true });
      expect(result.failed).toEqual([]);
      const threads = result.remoteIds.map((id) => messageByRemoteId(db, account.id, id)?.thread_id);
      expect(new Set(threads.slice(0, 3)).size).toBe(1);
      expect(new Set(threads.slice(3, 6)).size).toBe(1);
      expect(new Set(threads).size).toBe(3);
      const reply = await parseRfc822(raws[2] as Buffer);
      expect(reply.inReplyTo).toBe(messageIdOf(1));
      expect(reply.references).toEqual([messageIdOf(0), messageIdOf(1)]);
      expect(normalizeSubject(reply.subject)).toBe(normalizeSubject((await parseRfc822(raws[0] as Buffer)).subject));
    } finally {
      db.close();
    }
  });

  it('places the copies as the bench says: spam templates in Spam, a quarter unread, 2 % receipts, some in Trash', () => {
    const places = Array.from({ length: corpus.length }, (_, n) => placementOf(corpus[n] as (typeof corpus)[number], n));
    const share = (pick: (p: (typeof places)[number]) => boolean) => places.filter(pick).length / places.length;
    expect(share((p) => p.spam)).toBeCloseTo(corpus.filter((m) => m.group.startsWith('spam')).length / corpus.length);
    expect(share((p) => p.unread)).toBeCloseTo(0.25, 2);
    expect(share((p) => p.receipts)).toBeCloseTo(0.02, 2);
    expect(share((p) => p.trash)).toBeGreaterThan(0.02);
    expect(places.every((p) => !(p.inbox && (p.spam || p.trash)))).toBe(true);
  });
});
