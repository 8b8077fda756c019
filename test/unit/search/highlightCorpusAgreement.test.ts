import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobStore } from '../../../main/db/blobStore.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { importRawMessages } from '../../../main/mail/importRawMessages.ts';
import { parseSearchQuery } from '../../../main/search/parseSearchQuery.ts';
import { HIGHLIGHT_END, HIGHLIGHT_START, searchMessages } from '../../../main/search/searchMessages.ts';
import { porterStem, stemStart, textTokens } from '../../../main/search/textTokens.ts';
import { loadCorpus } from '../../emulator/kit/corpus.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const MARK = new RegExp(`${HIGHLIGHT_START}([^${HIGHLIGHT_END}]*)${HIGHLIGHT_END}`, 'g');
const marks = (text: string | null) => [...(text ?? '').matchAll(MARK)].map((m) => m[1] as string);

/**
 * Real corpus text: what highlighting marks agrees with SQLite's own tokenizer
 * and stemmer (the index's `porter unicode61 remove_diacritics 2`, read back
 * through fts5vocab), word by word and prefix by prefix.
 */
describe('highlighting agrees with the index on real mail', () => {
  const dir = makeTempDir();
  let db: IndexDb;
  /** SQLite's tokens of a text: stemmed as messages_fts does, or as typed (messages_prefix). */
  let tokens: (text: string, stemmed: boolean) => string[];

  beforeAll(async () => {
    db = openIndex(join(dir.path, 'index.sqlite'));
    const account = ensureAccount(db, 'gmail', 'me@example.test');
    const raws = loadCorpus()
      .filter((_, i) => i % 20 === 0)
      .map((m) => m.raw);
    await importRawMessages(db, new BlobStore(db, join(dir.path, 'blobs')), account.id, raws, {
      attachmentSizeCap: 25 * 2 ** 20,
    });
    db.exec(`
      CREATE VIRTUAL TABLE temp.stemmed USING fts5(x, tokenize = 'porter unicode61 remove_diacritics 2');
      CREATE VIRTUAL TABLE temp.stemmed_terms USING fts5vocab(temp, stemmed, 'instance');
      CREATE VIRTUAL TABLE temp.typed USING fts5(x, tokenize = 'unicode61 remove_diacritics 2');
      CREATE VIRTUAL TABLE temp.typed_terms USING fts5vocab(temp, typed, 'instance');
      CREATE VIRTUAL TABLE temp.indexed_terms USING fts5vocab(main, messages_fts, 'instance');
    `);
    tokens = (text, stemmed) => {
      const table = stemmed ? 'stemmed' : 'typed';
      db.prepare(`INSERT INTO temp.${table} (rowid, x) VALUES (1, ?)`).run(text);
      const terms = db.prepare(`SELECT term FROM temp.${table}_terms ORDER BY offset`).pluck().all() as string[];
      db.prepare(`DELETE FROM temp.${table}`).run();
      return terms;
    };
  });
  afterAll(() => {
    db.close();
    dir.remove();
  });

  /** Words of the corpus's subjects and bodies, a spread of common and rare ones, chosen the same way every run. */
  const sampleWords = (count: number): string[] => {
    const texts = db.prepare('SELECT subject || char(10) || body_text FROM messages ORDER BY id').pluck().all() as string[];
    const words = [...new Set(texts.flatMap((t) => t.match(/[\p{L}\p{N}]{3,}/gu) ?? []))].sort();
    return Array.from({ length: count }, (_, i) => words[Math.floor((i * words.length) / count)] as string);
  };

  it('tokenizes every field of every message as SQLite does (unicode61, remove_diacritics 2)', () => {
    const fields = ['subject', 'from_text', 'recipients_text', 'body_text', 'searchable_text'] as const;
    const rows = db.prepare(`SELECT ${fields.join(', ')} FROM messages ORDER BY id`).all() as Array<
      Record<string, string | null>
    >;
    let compared = 0;
    for (const row of rows)
      for (const field of fields) {
        const text = row[field] ?? '';
        expect(
          [...textTokens(text)].map((t) => t.word),
          `${field}: ${text.slice(0, 80)}`,
        ).toEqual(tokens(text, false));
        compared++;
      }
    expect(compared).toBe(rows.length * fields.length);
  });

  it("stems every distinct word of the corpus as SQLite's porter does, each word starting as its stem's start", () => {
    db.exec(`CREATE VIRTUAL TABLE temp.typed_words USING fts5vocab(main, messages_prefix, 'row')`);
    const words = db.prepare('SELECT term FROM temp.typed_words').pluck().all() as string[];
    expect(words.length).toBeGreaterThan(10_000);
    const stems = tokens(words.join(' '), true);
    expect(stems).toHaveLength(words.length);
    const differing = words.filter((word, i) => porterStem(word) !== stems[i]);
    expect(differing).toEqual([]);
    expect(words.filter((word, i) => !word.startsWith(stemStart(stems[i] as string)))).toEqual([]);
  });

  it('marks, for every message a word finds, exactly the tokens the index holds for it', () => {
    const inSubject = db.prepare(
      `SELECT count(*) FROM temp.indexed_terms WHERE term = ? AND col = 'subject'
         AND doc = (SELECT search_key FROM messages WHERE id = ?)`,
    );
    let hits = 0;
    for (const word of [...sampleWords(40), 'linux', 'Re', 'razor', 'spamassassin', 'click', 'removed']) {
      const [stem] = tokens(word, true);
      for (const row of searchMessages(db, parseSearchQuery(`"${word}"`), { limit: 1000, offset: 0 })) {
        hits++;
        expect(marks(row.highlight).length, `${word}: message ${row.id} shows a marked passage`).toBeGreaterThan(0);
        for (const marked of [...marks(row.highlight), ...marks(row.subject_highlight)])
          expect(new Set(tokens(marked, true)), `${word} marked "${marked}"`).toEqual(new Set([stem]));
        const markedInSubject = marks(row.subject_highlight).flatMap((m) => tokens(m, true)).length;
        expect(markedInSubject, `${word} in the subject of ${row.id}`).toBe(inSubject.pluck().get(stem, row.id));
      }
    }
    expect(hits).toBeGreaterThan(300);
  });

  it('marks, in a prefix search, exactly the tokens that start with the typed word', () => {
    let hits = 0;
    for (const word of sampleWords(15)) {
      const typed = word.slice(0, 4);
      const [folded] = tokens(typed, false);
      for (const row of searchMessages(db, parseSearchQuery(typed), { limit: 1000, offset: 0, prefixLast: true })) {
        hits++;
        expect(marks(row.highlight).length, `${typed}: message ${row.id} shows a marked passage`).toBeGreaterThan(0);
        for (const marked of [...marks(row.highlight), ...marks(row.subject_highlight)])
          for (const token of tokens(marked, false)) expect(token.startsWith(folded as string), `${typed}: ${token}`).toBe(true);
        const subject = db.prepare('SELECT subject FROM messages WHERE id = ?').pluck().get(row.id) as string;
        const expected = tokens(subject, false).filter((t) => t.startsWith(folded as string)).length;
        expect(marks(row.subject_highlight).flatMap((m) => tokens(m, false)).length, `${typed} in "${subject}"`).toBe(expected);
      }
    }
    expect(hits).toBeGreaterThan(15);
  });
});
