import type { Database } from 'better-sqlite3';

/**
 * Blobs that may no longer be used, for the clean-up after syncs (main/sync/blobCleanup.ts):
 * triggers note every blob a message, an attachment or an outbox row stops referring to (its
 * row deleted, cascades included, or pointed elsewhere), and BlobStore.put notes every blob it
 * stores with the time (`since`), so one stored but not yet referenced is left alone for a
 * while. The clean-up checks only these, never every blob. A blob noted again keeps the later
 * of its times (a trigger never moves it back). Existing installs get every blob nothing
 * refers to today; outbox rows get the lookup by blob the check needs.
 */
export function up(db: Database): void {
  // Not INSERT OR IGNORE: a trigger's conflict clause gives way to the statement that fired it (an upsert, say).
  const note = (sha256: string) =>
    `INSERT INTO blob_candidates (sha256, since) SELECT ${sha256}, 0
     WHERE NOT EXISTS (SELECT 1 FROM blob_candidates WHERE sha256 = ${sha256});`;
  db.exec(`
    CREATE TABLE blob_candidates (
      sha256  TEXT PRIMARY KEY,
      since   INTEGER NOT NULL       -- when BlobStore.put last stored it (ms); 0 when a reference let go of it
    ) WITHOUT ROWID;
    CREATE INDEX outbox_by_raw_blob ON outbox (raw_sha256);

    CREATE TRIGGER messages_raw_released AFTER DELETE ON messages WHEN old.raw_sha256 IS NOT NULL
    BEGIN ${note('old.raw_sha256')} END;
    CREATE TRIGGER messages_raw_replaced AFTER UPDATE OF raw_sha256 ON messages
      WHEN old.raw_sha256 IS NOT NULL AND old.raw_sha256 IS NOT new.raw_sha256
    BEGIN ${note('old.raw_sha256')} END;
    CREATE TRIGGER attachments_blob_released AFTER DELETE ON attachments WHEN old.blob_sha256 IS NOT NULL
    BEGIN ${note('old.blob_sha256')} END;
    CREATE TRIGGER attachments_blob_replaced AFTER UPDATE OF blob_sha256 ON attachments
      WHEN old.blob_sha256 IS NOT NULL AND old.blob_sha256 IS NOT new.blob_sha256
    BEGIN ${note('old.blob_sha256')} END;
    CREATE TRIGGER outbox_raw_released AFTER DELETE ON outbox
    BEGIN ${note('old.raw_sha256')} END;

    INSERT INTO blob_candidates (sha256, since)
      SELECT sha256, 0 FROM blobs b
      WHERE NOT EXISTS (SELECT 1 FROM messages WHERE raw_sha256 = b.sha256)
        AND NOT EXISTS (SELECT 1 FROM attachments WHERE blob_sha256 = b.sha256)
        AND NOT EXISTS (SELECT 1 FROM outbox WHERE raw_sha256 = b.sha256);
  `);
}
