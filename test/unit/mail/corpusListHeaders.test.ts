import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobStore } from '../../../main/db/blobStore.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { importRawMessages } from '../../../main/mail/importRawMessages.ts';
import { parseSearchQuery } from '../../../main/search/parseSearchQuery.ts';
import { searchMessages } from '../../../main/search/searchMessages.ts';
import { loadCorpus } from '../../emulator/kit/corpus.ts';
import { makeTempDir } from '../../support/tempDir.ts';

/** One message's headers as a plain scan reads them: unfolded lines, names in lower case. */
function scanHeaders(raw: Buffer): Array<[string, string]> {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  return (end < 0 ? text : text.slice(0, end))
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)
    .map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()] as [string, string])
    .filter(([name]) => name !== '');
}

/** What list: and deliveredto: find over the whole SpamAssassin corpus, against a scan of the raw headers. */
describe('list: and deliveredto: over the real corpus agree with a header scan', () => {
  const dir = makeTempDir();
  let db: IndexDb;
  /** Per imported message (row id): its List-Id ids, List-Post addresses and Delivered-To addresses, as the scan reads them. */
  const scanned = new Map<number, { listIds: string[]; listPosts: string[]; deliveredTo: string[] }>();

  beforeAll(async () => {
    db = openIndex(join(dir.path, 'index.sqlite'));
    const blobs = new BlobStore(db, join(dir.path, 'blobs'));
    const account = ensureAccount(db, 'gmail', 'me@example.test');
    const corpus = loadCorpus();
    const result = await importRawMessages(
      db,
      blobs,
      account.id,
      corpus.map((m) => m.raw),
      { attachmentSizeCap: 0 },
    );
    const rowId = db.prepare('SELECT id FROM messages WHERE remote_id = ?').pluck();
    for (const [i, remoteId] of result.remoteIds.entries()) {
      const headers = scanHeaders((corpus[i] as { raw: Buffer }).raw);
      const values = (name: string) => headers.filter(([n]) => n === name).map(([, v]) => v);
      scanned.set(rowId.get(remoteId) as number, {
        // The id in angle brackets, or (older lists) the last word.
        listIds: values('list-id').map((v) => (/<([^<>]+)>\s*$/.exec(v)?.[1] ?? v.split(/\s+/).at(-1) ?? '').toLowerCase()),
        listPosts: values('list-post').flatMap((v) =>
          [...v.matchAll(/<mailto:([^>?]+)/gi)].map((m) => (m[1] as string).toLowerCase()),
        ),
        // An address; qmail's lists write "mailing list foo@example.com".
        deliveredTo: values('delivered-to').map((v) => (v.split(/\s+/).at(-1) ?? '').toLowerCase()),
      });
    }
  }, 600_000);
  afterAll(() => {
    db.close();
    dir.remove();
  });

  const found = (q: string): number => {
    let total = 0;
    for (let offset = 0; ; offset += 1_000) {
      const page = searchMessages(db, parseSearchQuery(`${q} in:anywhere`), { limit: 1_000, offset }).length;
      total += page;
      if (page < 1_000) return total;
    }
  };
  const scannedCount = (matches: (message: { listIds: string[]; listPosts: string[]; deliveredTo: string[] }) => boolean) =>
    [...scanned.values()].filter(matches).length;

  it('finds each List-Id and each List-Post address as often as the headers name it (or a list under it)', () => {
    const listIds = new Set([...scanned.values()].flatMap((m) => m.listIds));
    const listPosts = new Set([...scanned.values()].flatMap((m) => m.listPosts));
    expect(scannedCount((m) => m.listIds.length > 0)).toBeGreaterThan(1_000);
    expect(listIds.size).toBeGreaterThan(10);
    // A list's name covers the lists under it (list:linux.ie finds ilug.linux.ie); a List-Post address reads as its dotted name.
    const under = (name: string, m: { listIds: string[]; listPosts: string[] }) =>
      [...m.listIds, ...m.listPosts.map((a) => a.replace('@', '.'))].some((id) => id === name || id.endsWith(`.${name}`));
    const checked: Array<[string, number, number]> = [];
    for (const id of listIds) checked.push([id, found(`list:${id}`), scannedCount((m) => under(id, m))]);
    for (const address of listPosts)
      checked.push([address, found(`list:${address}`), scannedCount((m) => under(address.replace('@', '.'), m))]);
    for (const [query, index, scan] of checked) expect(index, query).toBe(scan);
    expect(checked.every(([, , scan]) => scan > 0)).toBe(true);
  });

  it('finds a list domain’s lists together, and each Delivered-To address as often as the headers name it', () => {
    const domains = new Set([...scanned.values()].flatMap((m) => m.listIds.map((id) => id.split('.').slice(-2).join('.'))));
    for (const domain of domains)
      expect(found(`list:${domain}`), domain).toBe(
        scannedCount((m) =>
          [...m.listIds, ...m.listPosts.map((a) => a.replace('@', '.'))].some((id) => id === domain || id.endsWith(`.${domain}`)),
        ),
      );
    const addresses = new Set([...scanned.values()].flatMap((m) => m.deliveredTo));
    expect(addresses.size).toBeGreaterThan(1);
    for (const address of addresses)
      expect(found(`deliveredto:${address}`), address).toBe(scannedCount((m) => m.deliveredTo.includes(address)));
  });
});
