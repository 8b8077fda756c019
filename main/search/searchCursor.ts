import { OutpostError } from '../core/outpostError.ts';
import type { SearchCursor } from '../db/queries/search.ts';
import { MAX_RANKED } from '../db/queries/search.ts';

type PageCursor = { after: SearchCursor } | { offset: number };

/**
 * next_cursor of a search page, opaque to callers: newest first, the last
 * row's date and id ("d.<ms>.<id>", a keyset: any depth, nothing skipped or
 * repeated as mail arrives); by relevance, the rows already returned ("r.<n>").
 */
export function encodeSearchCursor(cursor: PageCursor): string {
  const text = 'after' in cursor ? `d.${cursor.after.sentAt}.${cursor.after.id}` : `r.${cursor.offset}`;
  return Buffer.from(text).toString('base64url');
}

export function decodeSearchCursor(cursor: string, sort: 'date' | 'relevance'): PageCursor {
  const text = Buffer.from(cursor, 'base64url').toString('latin1');
  const keyset = /^d\.(-?\d{1,16})\.(\d{1,16})$/.exec(text);
  if (keyset && sort === 'date') return { after: { sentAt: Number(keyset[1]), id: Number(keyset[2]) } };
  const ranked = /^r\.(\d{1,6})$/.exec(text);
  if (ranked && sort === 'relevance' && Number(ranked[1]) < MAX_RANKED) return { offset: Number(ranked[1]) };
  throw new OutpostError('validation_error', 'cursor is not a next_cursor this search returned', { field: 'cursor' });
}
