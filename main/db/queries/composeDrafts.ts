import type { ReadableDb, WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';

/** A message being written in Compose, kept as the compose window sent it (JSON). */
export interface ComposeDraftRow {
  id: string;
  draft_json: string;
  updated_at: number;
}

/** The most recently saved drafts first. */
export function listComposeDrafts(db: ReadableDb, limit: number): ComposeDraftRow[] {
  return stmt<[number], ComposeDraftRow>(
    db,
    'SELECT id, draft_json, updated_at FROM compose_drafts ORDER BY updated_at DESC LIMIT ?',
  ).all(limit);
}

/** Creates or replaces a draft. */
export function saveComposeDraft(db: WritableDb, row: ComposeDraftRow): void {
  stmt(
    db,
    `INSERT INTO compose_drafts (id, draft_json, updated_at) VALUES (@id, @draft_json, @updated_at)
     ON CONFLICT (id) DO UPDATE SET draft_json = excluded.draft_json, updated_at = excluded.updated_at`,
  ).run(row);
}

/** False when there was no such draft. */
export function deleteComposeDraft(db: WritableDb, id: string): boolean {
  return stmt(db, 'DELETE FROM compose_drafts WHERE id = ?').run(id).changes > 0;
}
