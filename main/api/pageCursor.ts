import { OutpostError } from '../core/outpostError.ts';

/**
 * Keyset cursors of the API's lists: the position after a page's last row,
 * (a time, a row id), as an opaque base64url string (`next_cursor`).
 */
export interface PagePosition {
  at: number;
  id: number;
}

export function encodePageCursor(position: PagePosition): string {
  return Buffer.from(`${position.at}.${position.id}`).toString('base64url');
}

export function decodePageCursor(value: string): PagePosition {
  const match = /^(-?\d{1,16})\.(\d{1,16})$/.exec(Buffer.from(value, 'base64url').toString('latin1'));
  if (!match) throw new OutpostError('validation_error', 'cursor is not a next_cursor this API returned', { field: 'cursor' });
  return { at: Number(match[1]), id: Number(match[2]) };
}
