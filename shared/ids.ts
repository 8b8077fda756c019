/**
 * Public ids of index rows in the API: a type prefix and the row id.
 * The prefix makes a thread id passed where a message id belongs fail
 * loudly instead of returning the wrong row.
 */
export type IdKind = 'thr' | 'msg' | 'lbl' | 'att' | 'evt' | 'cal';

export function publicId(kind: IdKind, rowId: number | bigint): string {
  return `${kind}_${rowId}`;
}

/** The row id inside a public id of the given kind, or null when it is not one. */
export function parsePublicId(kind: IdKind, value: string): number | null {
  const prefix = `${kind}_`;
  if (!value.startsWith(prefix)) return null;
  const digits = value.slice(prefix.length);
  if (!/^[1-9][0-9]{0,15}$/.test(digits)) return null;
  const id = Number(digits);
  return Number.isSafeInteger(id) ? id : null;
}
