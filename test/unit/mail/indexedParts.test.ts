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

/** Real messages of the SpamAssassin corpus, by what their MIME parts are. */
const CORPUS = {
  pgpSigned: 'easy-ham-1/00014.cb20e10b2bfcb8210a1c310798532a57',
  pgpSignedNamed: 'easy-ham-1/01096.0ecf28b2697d77f7039d82f8838bcf8d',
  smimeSigned: 'easy-ham-1/01353.cf72da836d8b771bea4110c8f9b5599b',
  bounce: 'easy-ham-1/01436.dc449ba377210e77d84647619e49c872',
  bounceWithOriginal: 'easy-ham-1/01542.ed72bf2cd81ccd4c076533fb0af004e5',
  enrichedText: 'easy-ham-1/00063.0acbc484a73f0e0b727e06c100d8df7b',
  relatedImages: 'hard-ham-1/00240.8623673c2a6f2cde10ab31423f708feb',
  inlineNamedImages: 'hard-ham-1/00233.3731b99b0fb04bcf461d098d0570ea36',
  patchAttached: 'easy-ham-1/00986.93b7eb74f26330872be1d58ec9d2b64c',
  bitmapAttached: 'hard-ham-1/00039.b2b936a8501444b213f61f9ff193b480',
  patchAndSignature: 'easy-ham-1/01137.862bf0c202b134ec11c965d1a46a43a0',
  namedImagesNoDisposition: 'easy-ham-2/00869.0fbb783356f6875063681dc49cfcb1eb',
  htmlSaysMore: 'hard-ham-1/00064.a80b45bb0339ed948bbbd968c074c60e',
  secondBounce: 'easy-ham-2/01311.b6a06b3e24130a32172b4c5225a1d5a6',
  scriptAttached: 'easy-ham-1/00993.041d0d8e108657fd1ba5c605a10e2bfa',
  documentAttached: 'spam-2/01359.deafa1d42658c6624c6809a446b7f369',
} as const;

describe('what the index calls an attachment and what it lets you search (real corpus messages)', () => {
  const dir = makeTempDir();
  let db: IndexDb;
  const keyOf = new Map<number, string>();

  beforeAll(async () => {
    db = openIndex(join(dir.path, 'index.sqlite'));
    const blobs = new BlobStore(db, join(dir.path, 'blobs'));
    const account = ensureAccount(db, 'gmail', 'me@example.test');
    const wanted = new Set<string>(Object.values(CORPUS));
    const messages = loadCorpus().filter((m) => wanted.has(m.key));
    expect(messages).toHaveLength(wanted.size);
    const result = await importRawMessages(
      db,
      blobs,
      account.id,
      messages.map((m) => m.raw),
      { attachmentSizeCap: 25 * 2 ** 20 },
    );
    for (const [i, remoteId] of result.remoteIds.entries()) {
      const id = db.prepare('SELECT id FROM messages WHERE remote_id = ?').pluck().get(remoteId) as number;
      keyOf.set(id, (messages[i] as { key: string }).key);
    }
  });
  afterAll(() => {
    db.close();
    dir.remove();
  });

  const found = (q: string) =>
    searchMessages(db, parseSearchQuery(q), { limit: 100, offset: 0 })
      .map((row) => keyOf.get(row.id))
      .sort();

  it('has:attachment finds files people attached, never signatures, bounce reports or inline images', () => {
    expect(found('has:attachment')).toEqual(
      [
        CORPUS.patchAttached,
        CORPUS.bitmapAttached,
        CORPUS.patchAndSignature,
        CORPUS.namedImagesNoDisposition,
        CORPUS.scriptAttached,
        CORPUS.documentAttached,
      ].sort(),
    );
  });

  it('finds words only the HTML alternative has', () => {
    expect(found('comicshelp')).toEqual([CORPUS.htmlSaysMore]);
  });

  it("finds a bounce by its delivery report and the returned message's headers", () => {
    expect(found('communigate')).toEqual([CORPUS.bounce]);
    expect(found('amavisd')).toEqual([CORPUS.secondBounce]);
    expect(found('"Reporting-MTA"')).toEqual([CORPUS.bounce, CORPUS.bounceWithOriginal, CORPUS.secondBounce].sort());
  });

  it('finds attachments by their file names, as plain words and with filename:', () => {
    expect(found('swasort')).toEqual([CORPUS.scriptAttached]);
    expect(found('yinxiang motorcycles')).toEqual([CORPUS.documentAttached]);
    expect(found('filename:yinxiang')).toEqual([CORPUS.documentAttached]);
  });
});
