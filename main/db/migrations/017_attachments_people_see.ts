import type { Database } from 'better-sqlite3';

/**
 * `has:attachment` means a file a person attached (countsAsAttachment in
 * queries/attachments.ts), no longer any part that is not inline text: PGP and
 * S/MIME signatures and the reports of bounces stop counting. Recomputes the
 * flag of stored messages and their threads from the attachments table (name,
 * type, inline), with the list of types as it stood at this version; only rows
 * whose flag changes are written.
 */
/** The types no person calls an attachment, as this version lists them (an SQL list; migration 018 uses it too). */
export const NOT_ATTACHMENTS_SQL = [
  'application/pgp-signature',
  'application/pkcs7-signature',
  'application/x-pkcs7-signature',
  'message/delivery-status',
  'message/disposition-notification',
  'message/feedback-report',
  'text/rfc822-headers',
]
  .map((type) => `'${type}'`)
  .join(', ');

export function up(db: Database): void {
  db.exec(`
    CREATE TEMP TABLE attachment_flags AS
      SELECT m.id, m.thread_id, EXISTS (
        SELECT 1 FROM attachments a WHERE a.message_id = m.id AND a.is_inline = 0 AND a.filename <> ''
          AND lower(a.mime_type) NOT IN (${NOT_ATTACHMENTS_SQL})
      ) AS flag
      FROM messages m WHERE m.has_attachments = 1;
    UPDATE messages SET has_attachments = 0
      WHERE id IN (SELECT id FROM temp.attachment_flags WHERE flag = 0);
    UPDATE threads SET has_attachments = coalesce((SELECT max(has_attachments) FROM messages WHERE thread_id = threads.id), 0)
      WHERE id IN (SELECT thread_id FROM temp.attachment_flags WHERE flag = 0);
    DROP TABLE temp.attachment_flags;
  `);
}
