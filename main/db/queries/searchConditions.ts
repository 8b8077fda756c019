import type { AddressField, SearchClause, SearchQuery, SearchTerm, TextField } from '../../search/parseSearchQuery.ts';
import type { ReadableDb } from '../handles.ts';
import { pluckStmt } from '../statements.ts';
import { type AddressDomainField, domainRange, isDomainQuery } from './addressDomains.ts';
import { storedListName } from './headerAddresses.ts';

/**
 * A parsed query as SQL: `match` is one FTS5 expression for the clauses made
 * only of words (null without words); with prefixLast the last word is matched
 * as typed against messages_prefix (migration 020), so completed words keep
 * stemming and the typed one finds the words it starts; `where` the other clauses as
 * parameterised conditions on messages m (" AND ..." or ''), `params` their
 * values. Values reach SQL only as parameters; FTS5 strings are quoted literals.
 */
export interface CompiledSearch {
  match: string | null;
  /** The full-text table `match` is for: the stemmed index, or the unstemmed one when the query is a typed prefix alone. */
  table: 'messages_fts' | 'messages_prefix';
  where: string;
  params: unknown[];
  /**
   * A condition of `where` (a label's messages or has:attachment, ANDed with the rest) that lists
   * fewer messages than the full-text match may hold: the search starts from
   * them instead of walking the match (label:receipts linux), and counts them
   * exactly. Null when the query has none.
   */
  listed: {
    sql: string;
    params: unknown[];
    size: number;
    /** The listed messages' search_keys as a subquery whose WHERE may be extended (a domain's rows keep them). */
    keys?: { sql: string; params: unknown[] };
  } | null;
  /** The query's top-level dates (after:, before:, older_than: ...), each also a condition of `where`: bounds of search_key. */
  dates: Array<{ op: 'before' | 'after'; ms: number }>;
}

export function compileSearch(
  db: ReadableDb,
  query: SearchQuery,
  options: { accountId?: string | undefined; prefixLast?: boolean | undefined },
): CompiledSearch {
  const lastPlainWord = options.prefixLast ? findLastPlainWord(query) : null;
  const ftsClauses: string[] = [];
  const conditions: string[] = [];
  const params: unknown[] = [];
  const dates: CompiledSearch['dates'] = [];

  const lastClause = query.clauses.at(-1);
  const prefixAlone = lastPlainWord && lastClause?.anyOf.length === 1 ? lastClause : null;
  // Whether words drive the search (a full-text match every result is in): their matches bound what is filtered.
  const lookups = new SearchLookups(
    db,
    query.clauses.some((c) => !c.negated && (c === prefixAlone || c.anyOf.every((t) => isFullText(t, lastPlainWord)))),
  );
  for (const clause of query.clauses) {
    if (clause === prefixAlone) continue;
    const only = clause.anyOf.length === 1 ? clause.anyOf[0] : undefined;
    if (!clause.negated && only?.kind === 'date') dates.push({ op: only.op, ms: only.ms });
    if (!clause.negated && clause.anyOf.every((t) => isFullText(t, lastPlainWord) || lookups.largeDomainBesideWords(t))) {
      ftsClauses.push(ftsClause(clause, lastPlainWord));
    } else {
      const { sql, values } = clauseCondition(clause, lastPlainWord, lookups);
      conditions.push(sql);
      params.push(...values);
    }
  }
  const excluded = excludedRoles(db, query);
  if (excluded.length > 0) {
    // Gmail's rule: Spam and Trash only when the query names them. Each candidate is probed on message_labels'
    // primary key (~1 µs): listing every Spam and Trash message instead cost ~7 ms per statement at 30,000 of them.
    conditions.push(
      `NOT EXISTS (SELECT 1 FROM message_labels ml WHERE ml.message_id = m.id
        AND ml.label_id IN (SELECT l.id FROM labels l WHERE l.role IN (${excluded.map((role) => `'${role}'`).join(', ')})))`,
    );
  }
  if (options.accountId) {
    conditions.push('m.account_id = ?');
    params.push(options.accountId);
  }
  let table: CompiledSearch['table'] = 'messages_fts';
  if (prefixAlone && lastPlainWord && ftsClauses.length === 0) {
    table = 'messages_prefix';
    ftsClauses.push(lookups.typed(lastPlainWord));
  } else if (prefixAlone && lastPlainWord) {
    const { sql, values } = clauseCondition(prefixAlone, lastPlainWord, lookups);
    conditions.unshift(sql);
    params.unshift(...values);
  }
  return {
    match: ftsClauses.length ? ftsClauses.join(' AND ') : null,
    table,
    where: conditions.length ? ` AND ${conditions.join(' AND ')}` : '',
    params,
    listed: lookups.listedIn(query),
    dates,
  };
}

const FTS_COLUMNS: Record<TextField, string | null> = {
  any: null,
  subject: 'subject',
  from: 'from_text',
  to: 'recipients_text',
  cc: 'recipients_text',
  bcc: 'recipients_text',
};

type TextTerm = Extract<SearchTerm, { kind: 'text' }>;

/** The address fields whose domains a domain is searched in (to:, cc: and bcc: every recipient, as their words are). */
const DOMAIN_FIELDS: Record<TextField, readonly AddressDomainField[] | null> = {
  any: null,
  subject: null,
  from: ['from'],
  to: ['to', 'cc', 'bcc'],
  cc: ['to', 'cc', 'bcc'],
  bcc: ['to', 'cc', 'bcc'],
};

/** message_address_domains rows of a domain range in these fields (the fields are this module's constants, never the query's). */
function domainRows(fields: readonly AddressDomainField[]): string {
  return `h.field IN (${fields.map((f) => `'${f}'`).join(', ')}) AND h.domain >= ? AND h.domain < ?`;
}

/** The fields a from:/to:/cc:/bcc: term searches by domain (message_address_domains) when its value is one, else null. */
function domainFields(term: TextTerm): readonly AddressDomainField[] | null {
  const fields = DOMAIN_FIELDS[term.field];
  return fields && isDomainQuery(term.value) ? fields : null;
}

const SCOPED_ROLES = ['spam', 'trash'] as const;

/**
 * The roles (spam, trash) a search leaves out: all of them, less those the
 * query names anywhere (in:spam, label:trash, a folder with that role by its
 * name, negated or not); none with in:anywhere.
 */
function excludedRoles(db: ReadableDb, query: SearchQuery): string[] {
  const labels: string[] = [];
  let anywhere = false;
  const visit = (clauses: SearchClause[]) => {
    for (const clause of clauses)
      for (const term of clause.anyOf) {
        if (term.kind === 'anywhere') anywhere = true;
        else if (term.kind === 'label') labels.push(term.value);
        else if (term.kind === 'group') visit(term.clauses);
      }
  };
  visit(query.clauses);
  if (anywhere) return [];
  if (labels.length === 0) return [...SCOPED_ROLES];
  const named = new Set(
    pluckStmt<[string, string, string], string>(
      db,
      `SELECT DISTINCT role FROM labels WHERE role IN ('spam', 'trash')
       AND (lower(name) IN (SELECT value FROM json_each(?)) OR lower(remote_id) IN (SELECT value FROM json_each(?))
            OR role IN (SELECT value FROM json_each(?)))`,
    ).all(...(Array(3).fill(JSON.stringify(labels)) as [string, string, string])),
  );
  for (const label of labels) if ((SCOPED_ROLES as readonly string[]).includes(label)) named.add(label);
  return SCOPED_ROLES.filter((role) => !named.has(role));
}

export function findLastPlainWord(query: SearchQuery): TextTerm | null {
  const last = query.clauses.at(-1);
  const term = last?.anyOf.at(-1);
  if (!last || last.negated || term?.kind !== 'text' || term.phrase || term.field !== 'any') return null;
  // One typed character is a word, not a prefix: "m*" merges the doclists of a tenth of all words (200-300 ms at 20,000 messages).
  return (wordsOf(term.value).at(-1)?.length ?? 0) >= 2 ? term : null;
}

function wordsOf(value: string): string[] {
  return value.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/**
 * The typed word for messages_prefix: its last word as a prefix, the words
 * before it ("o'rei": "o") as whole words (detail=none has no phrases).
 */
function typedPrefix(term: TextTerm): string {
  const words = wordsOf(term.value).map(ftsLiteral);
  return [...words.slice(0, -1), `${words.at(-1)} *`].join(' AND ');
}

/** Whether a term can go into the full-text MATCH: words, phrases, AROUND, and groups made only of them. */
function isFullText(term: SearchTerm, lastPlainWord: TextTerm | null): boolean {
  if (term.kind === 'text') return term !== lastPlainWord && domainFields(term) === null;
  if (term.kind === 'near') return true;
  if (term.kind !== 'group') return false;
  return term.clauses.every((c) => !c.negated && c.anyOf.every((t) => isFullText(t, lastPlainWord)));
}

/** A clause of full-text terms as one FTS5 expression: its alternatives ORed, groups' clauses ANDed. */
function ftsClause(clause: SearchClause, lastPlainWord: TextTerm | null): string {
  return `(${clause.anyOf.map((t) => ftsExpression(t, lastPlainWord)).join(' OR ')})`;
}

function ftsExpression(term: SearchTerm, lastPlainWord: TextTerm | null): string {
  if (term.kind === 'text') return ftsTerm(term);
  if (term.kind === 'near') return `NEAR(${ftsLiteral(term.left)} ${ftsLiteral(term.right)}, ${term.distance})`;
  if (term.kind === 'group') return `(${term.clauses.map((c) => ftsClause(c, lastPlainWord)).join(' AND ')})`;
  throw new Error(`not a full-text term: ${term.kind}`);
}

function ftsLiteral(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

/** One FTS5 term: a quoted string (so operators and punctuation in it are just text), optionally column-filtered. */
function ftsTerm(term: TextTerm): string {
  const literal = ftsLiteral(term.value);
  const column = FTS_COLUMNS[term.field];
  return column ? `${column} : ${literal}` : literal;
}

function clauseCondition(
  clause: SearchClause,
  lastPlainWord: TextTerm | null,
  lookups: SearchLookups,
): { sql: string; values: unknown[] } {
  const parts: string[] = [];
  const values: unknown[] = [];
  for (const term of clause.anyOf) {
    const condition = termCondition(term, lastPlainWord, lookups);
    parts.push(condition.sql);
    values.push(...condition.values);
  }
  const any = parts.length === 1 ? (parts[0] as string) : `(${parts.join(' OR ')})`;
  return { sql: clause.negated ? `NOT ${any}` : any, values };
}

/** The account's own address (its email; send-as aliases are not in the index). */
const OWN_ADDRESS = '(SELECT lower(a.email) FROM accounts a WHERE a.id = m.account_id)';
const RECIPIENT_JSON: Record<AddressField, string[]> = {
  from: [],
  to: ['m.to_json', 'm.cc_json', 'm.bcc_json'],
  cc: ['m.cc_json'],
  bcc: ['m.bcc_json'],
};

function termCondition(
  term: SearchTerm,
  lastPlainWord: TextTerm | null,
  lookups: SearchLookups,
): { sql: string; values: unknown[] } {
  switch (term.kind) {
    case 'text': {
      const fields = domainFields(term);
      if (fields) return lookups.addressDomain(term, fields, term.value);
      if (term === lastPlainWord) return lookups.matching('messages_prefix', lookups.typed(term));
      return lookups.matching('messages_fts', ftsExpression(term, lastPlainWord));
    }
    case 'near':
      return lookups.matching('messages_fts', ftsExpression(term, lastPlainWord));
    case 'group': {
      const parts = term.clauses.map((c) => clauseCondition(c, lastPlainWord, lookups));
      return { sql: `(${parts.map((p) => p.sql).join(' AND ') || '1'})`, values: parts.flatMap((p) => p.values) };
    }
    case 'anywhere':
      return { sql: '1', values: [] };
    case 'label':
      return lookups.label(term.value);
    case 'classification':
      // Outlook's Focused/Other; NULL (Gmail, imports) matches neither.
      return { sql: 'm.inference_classification IS ?', values: [term.value] };
    case 'category':
      return {
        sql: `m.id IN (SELECT ml.message_id FROM labels l CROSS JOIN message_labels ml ON ml.label_id = l.id
               WHERE l.kind = 'category' AND lower(l.name) = ?)`,
        values: [term.value],
      };
    case 'has':
      return { sql: 'm.has_attachments = 1', values: [] };
    case 'is':
      return {
        sql: {
          unread: 'm.is_unread = 1',
          read: 'm.is_unread = 0',
          starred: 'm.is_starred = 1',
          unstarred: 'm.is_starred = 0',
          important: 'm.is_important = 1',
        }[term.value],
        values: [],
      };
    case 'date':
      return { sql: term.op === 'before' ? 'm.sent_at < ?' : 'm.sent_at >= ?', values: [term.ms] };
    case 'size':
      return { sql: term.op === 'larger' ? 'm.size_bytes > ?' : 'm.size_bytes < ?', values: [term.bytes] };
    case 'msgid':
      return {
        sql: 'm.id IN (SELECT id FROM messages WHERE account_id IN (SELECT id FROM accounts) AND rfc822_message_id = ?)',
        values: [term.value],
      };
    case 'me':
      if (term.field === 'from') return { sql: `lower(m.from_email) = ${OWN_ADDRESS}`, values: [] };
      return {
        sql: `(${RECIPIENT_JSON[term.field]
          .map((column) => `EXISTS (SELECT 1 FROM json_each(${column}) j WHERE lower(j.value ->> 'email') = ${OWN_ADDRESS})`)
          .join(' OR ')})`,
        values: [],
      };
    case 'deliveredto':
      // The Delivered-To headers (migration 021); me: the account's own address in them.
      if (term.value === 'me')
        return lookups.headerAddresses(
          term,
          "h.kind = 'delivered_to' AND h.value IN (SELECT lower(email) FROM accounts)",
          [],
          `h.kind = 'delivered_to' AND h.value = ${OWN_ADDRESS}`,
        );
      // A domain: its addresses and those of the domains under it (migration 026), as from: and to: read one.
      if (isDomainQuery(term.value)) return lookups.addressDomain(term, ['delivered_to'], term.value);
      return lookups.headerAddresses(term, "h.kind = 'delivered_to' AND h.value = ?", [term.value]);
    case 'list': {
      // That list (List-Id or List-Post), or the lists of that domain: one range of the reversed names.
      const name = storedListName(term.value);
      return lookups.headerAddresses(term, "h.kind = 'list' AND (h.value = ? OR (h.value > ? AND h.value < ?))", [
        name,
        `${name}.`,
        `${name}/`,
      ]);
    }
    case 'filename':
      return {
        sql: `m.id IN (SELECT message_id FROM attachments WHERE lower(filename) LIKE ? ESCAPE '\\')`,
        values: [`%${escapeLike(term.value)}%`],
      };
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Messages of a label listed up front (the planner may start from them); a larger label is probed on the date walk. */
const LISTED_LABEL_MESSAGES = 5_000;

/** The longest prefix messages_prefix indexes (migration 020); a longer typed prefix is expanded to its words. */
const LONGEST_PREFIX_INDEX = 4;
/** Words a typed prefix is expanded to at most; more, and FTS5 merges their doclists itself (`word *`). */
const MAX_PREFIX_WORDS = 64;

/**
 * What compiling one query looks up in the index: labels' sizes and a typed
 * prefix's words.
 *
 * How a label: term reads its messages. A label of few messages lists them
 * (message_labels_by_label) and the search starts from that list; a large one
 * (label:inbox) is probed per message (message_labels' key) while the search
 * walks messages_by_search_key newest first, which stops at the page: listing
 * it sorted every inbox message by date before the first page (250-460 ms
 * over 100,000 messages).
 */
class SearchLookups {
  private readonly scopes = new Map<string, { ids: string; size: number }>();
  private readonly listedAddresses = new Map<SearchTerm, NonNullable<CompiledSearch['listed']>>();
  private readonly db: ReadableDb;
  private readonly wordsDrive: boolean;
  private readonly counted = new Map<string, number>();
  constructor(db: ReadableDb, wordsDrive: boolean) {
    this.db = db;
    this.wordsDrive = wordsDrive;
  }

  private scope(value: string): { ids: string; size: number } {
    let scope = this.scopes.get(value);
    if (!scope) {
      const ids = JSON.stringify(
        pluckStmt<[string, string, string], number>(
          this.db,
          'SELECT id FROM labels WHERE lower(name) = ? OR lower(remote_id) = ? OR role = ?',
        ).all(value, value, value),
      );
      // Counted only up to the bound: a large label's size is never read whole.
      const size = pluckStmt<[string, number], number>(
        this.db,
        'SELECT count(*) FROM (SELECT 1 FROM message_labels WHERE label_id IN (SELECT value FROM json_each(?)) LIMIT ?)',
      ).get(ids, LISTED_LABEL_MESSAGES) as number;
      scope = { ids, size };
      this.scopes.set(value, scope);
    }
    return scope;
  }

  label(value: string): { sql: string; values: unknown[] } {
    const { ids, size } = this.scope(value);
    return size < LISTED_LABEL_MESSAGES
      ? // "+": a filter where the search walks something else; listedIn gives the same list where it starts from it.
        { sql: `+${LISTED_LABEL}`, values: [ids] }
      : {
          sql: 'EXISTS (SELECT 1 FROM message_labels ml WHERE ml.message_id = m.id AND ml.label_id IN (SELECT value FROM json_each(?)))',
          values: [ids],
        };
  }

  /**
   * How list: and deliveredto: read message_header_addresses (migration 021), as
   * a label is read: the messages of a few rows are listed (its primary key) and
   * the search may start from them; past the bound (deliveredto:me on Gmail,
   * where every message says it) each message the newest-first walk meets is
   * probed instead (by_message), which stops at the page. `probe` replaces
   * `rows` there when it refers to m (the account's own address), and is
   * checked of each listed message too. A listed term may be where the search
   * starts (listedIn), as a small label is.
   */
  headerAddresses(term: SearchTerm, rows: string, values: unknown[], probe = rows): { sql: string; values: unknown[] } {
    return this.listedOrProbed('message_header_addresses', term, rows, values, probe);
  }

  /**
   * Whether a from:/to:/cc:/bcc: domain is searched as its full-text phrase, as before migration 026: one in 5,000
   * messages or more beside words. The words bound the candidates and FTS5 meets the phrase's positions faster than
   * a probe per candidate (to:linux.ie kernel over 100,000: 3,000 matches of kernel, linux.ie in 11,000 messages).
   */
  largeDomainBesideWords(term: SearchTerm): boolean {
    if (!this.wordsDrive || term.kind !== 'text') return false;
    const fields = domainFields(term);
    if (!fields) return false;
    const [low, high] = domainRange(term.value);
    return this.countUpToBound('message_address_domains', domainRows(fields), [low, high]) >= LISTED_LABEL_MESSAGES;
  }

  /**
   * A domain in some address fields (migration 026): the domain and the
   * domains under it, one range of message_address_domains' primary key per
   * field, read as a list or a header address is (listed under the bound, the
   * search may start from it; probed per message past it).
   */
  addressDomain(term: SearchTerm, fields: readonly AddressDomainField[], domain: string): { sql: string; values: unknown[] } {
    const rows = domainRows(fields);
    return this.listedOrProbed('message_address_domains', term, rows, domainRange(domain), rows, 'search_key');
  }

  private listedOrProbed(
    table: 'message_header_addresses' | 'message_address_domains',
    term: SearchTerm,
    rows: string,
    values: unknown[],
    probe = rows,
    listedBy: 'id' | 'search_key' = 'id',
  ): { sql: string; values: unknown[] } {
    const size = this.countUpToBound(table, rows, values);
    const probed = `EXISTS (SELECT 1 FROM ${table} h WHERE h.message_id = m.id AND ${probe})`;
    if (size >= LISTED_LABEL_MESSAGES) return { sql: probed, values };
    // By search_key where the rows keep it: the words' matches (full-text rowids) are tested on messages_by_search_key's
    // entries, and only the messages that pass are read.
    const listed =
      listedBy === 'id'
        ? `m.id IN (SELECT h.message_id FROM ${table} h WHERE ${rows})`
        : `m.search_key IN (SELECT h.search_key FROM ${table} h WHERE ${rows})`;
    // A probe of its own (me: this account's address, not another's) still holds of each listed message.
    const condition =
      probe === rows ? { sql: listed, values } : { sql: `(${listed} AND ${probed})`, values: [...values, ...values] };
    const keys =
      listedBy === 'search_key' && probe === rows
        ? { sql: `SELECT h.search_key FROM ${table} h WHERE ${rows}`, params: values }
        : undefined;
    this.listedAddresses.set(term, { sql: condition.sql, params: condition.values, size, ...(keys ? { keys } : {}) });
    return condition;
  }

  /** Rows counted only up to the bound, as a label is (once per compiled query). */
  private countUpToBound(table: string, rows: string, values: unknown[]): number {
    const key = JSON.stringify([table, rows, values]);
    let size = this.counted.get(key);
    if (size === undefined) {
      size = pluckStmt<unknown[], number>(this.db, `SELECT count(*) FROM (SELECT 1 FROM ${table} h WHERE ${rows} LIMIT ?)`).get(
        ...values,
        LISTED_LABEL_MESSAGES,
      ) as number;
      this.counted.set(key, size);
    }
    return size;
  }

  /**
   * Words as a condition (a clause that is not all words: `linux OR label:x`,
   * a typed word beside an OR): few matches are listed (the planner may start
   * from them, or union several); 5,000 or more are probed per message on the
   * newest-first walk ("+": never a start), where listing them, or the
   * union of `linux OR freebsd`, sorted every match before the first page.
   */
  matching(table: 'messages_fts' | 'messages_prefix', expression: string): { sql: string; values: unknown[] } {
    const size = pluckStmt<[string, number], number>(
      this.db,
      `SELECT count(*) FROM (SELECT 1 FROM ${table} WHERE ${table} MATCH ? LIMIT ?)`,
    ).get(expression, LISTED_LABEL_MESSAGES) as number;
    const key = size < LISTED_LABEL_MESSAGES ? 'm.search_key' : '+m.search_key';
    return { sql: `${key} IN (SELECT rowid FROM ${table} WHERE ${table} MATCH ?)`, values: [expression] };
  }

  /**
   * The typed word as messages_prefix matches it: past the prefix indexes,
   * the whole words it starts (messages_prefix_vocab, migration 023) ORed,
   * which FTS5 reads lazily newest first; `linux *` would merge every
   * doclist of its words before the first row.
   */
  typed(term: TextTerm): string {
    const words = wordsOf(term.value);
    const last = (words.at(-1) ?? '').toLowerCase();
    // Only plain ASCII is expanded: the vocabulary holds words as unicode61 folded them, which this compares as bytes.
    if (last.length <= LONGEST_PREFIX_INDEX || !/^[a-z0-9]+$/.test(last)) return typedPrefix(term);
    const found = pluckStmt<[string, string, number], string>(
      this.db,
      'SELECT term FROM messages_prefix_vocab WHERE term >= ? AND term < ? LIMIT ?',
    ).all(last, `${last}\u{10FFFF}`, MAX_PREFIX_WORDS + 1);
    if (found.length === 0 || found.length > MAX_PREFIX_WORDS) return typedPrefix(term);
    return [...words.slice(0, -1).map(ftsLiteral), `(${found.map(ftsLiteral).join(' OR ')})`].join(' AND ');
  }

  /** The smallest listed label the query requires of every result (a clause of that label alone, not negated). */
  listedIn(query: SearchQuery): CompiledSearch['listed'] {
    let best: CompiledSearch['listed'] = null;
    for (const clause of query.clauses) {
      const term = clause.anyOf[0];
      const address = term && this.listedAddresses.get(term);
      if (!clause.negated && clause.anyOf.length === 1 && address && (!best || address.size < best.size)) best = address;
      if (clause.negated || clause.anyOf.length !== 1) continue;
      if (term?.kind === 'label') {
        const { ids, size } = this.scope(term.value);
        if (size < LISTED_LABEL_MESSAGES && (!best || size < best.size)) best = { sql: LISTED_LABEL, params: [ids], size };
      } else if (term?.kind === 'has') {
        const size = this.withAttachments();
        if (size < LISTED_LABEL_MESSAGES && (!best || size < best.size))
          best = { sql: 'm.has_attachments = 1', params: [], size };
      }
    }
    return best;
  }

  /** Messages with attachments, counted up to the bound through their partial index (migration 024). */
  private withAttachments(): number {
    return pluckStmt<[number], number>(
      this.db,
      'SELECT count(*) FROM (SELECT 1 FROM messages WHERE has_attachments = 1 LIMIT ?)',
    ).get(LISTED_LABEL_MESSAGES) as number;
  }
}

const LISTED_LABEL =
  'm.id IN (SELECT ml.message_id FROM message_labels ml WHERE ml.label_id IN (SELECT value FROM json_each(?)))';
