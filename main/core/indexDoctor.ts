import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkIndexFile, type IntegrityReport, openForInspection } from '../db/integrity.ts';
import { blobRowIds } from '../db/queries/blobInventory.ts';
import { reclaimableBlobs } from '../db/queries/blobReferences.ts';
import { type IndexDamage, readDamageNote, recordDamage } from './indexCondition.ts';
import { blobsDir, indexPath } from './paths.ts';

export interface DoctorReport {
  dataDir: string;
  sizes: { index: number; wal: number; shm: number; blobs: number; blobFiles: number };
  /** Null when there is no index yet. */
  integrity: IntegrityReport | null;
  /** Damage known before this check (written down by an earlier one), or found by it. */
  damage: IndexDamage | null;
  /** Null while the index cannot be trusted: blob rows are not read from a damaged file. */
  orphans: { filesWithoutRow: number; bytesWithoutRow: number; rowsWithoutFile: number } | null;
  /** Stored files no message, attachment or outbox row refers to any more (the blob clean-up frees them); null as orphans. */
  reclaimable: { blobs: number; bytes: number } | null;
}

/**
 * `outpost doctor`: the index's integrity (PRAGMA quick_check on a read-only
 * connection, whatever the index's size), the sizes of the index, its WAL
 * and SHM and the stored files, and orphans: files under blobs/ that no row
 * names, and rows whose file is gone. Never writes the index; damage found is
 * written down beside it, so every writer refuses it from then on.
 */
export function examineDataDir(dataDir: string): DoctorReport {
  const index = indexPath(dataDir);
  const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);
  const files = blobFiles(blobsDir(dataDir));
  const sizes = {
    index: size(index),
    wal: size(`${index}-wal`),
    shm: size(`${index}-shm`),
    blobs: [...files.values()].reduce((sum, bytes) => sum + bytes, 0),
    blobFiles: files.size,
  };
  if (!existsSync(index)) return { dataDir, sizes, integrity: null, damage: null, orphans: null, reclaimable: null };
  const noted = readDamageNote(dataDir);
  const integrity = checkIndexFile(index);
  const emptyBesideData = sizes.index === 0 && (files.size > 0 || existsSync(join(dataDir, 'vault.key')));
  let damage = noted;
  if (!damage && !integrity.ok) damage = recordDamage(dataDir, integrity.problems);
  if (!damage && emptyBesideData)
    damage = recordDamage(dataDir, ['the index is empty (0 bytes) beside stored files or a vault key']);
  if (damage || sizes.index === 0) return { dataDir, sizes, integrity, damage, orphans: null, reclaimable: null };
  const db = openForInspection(index);
  try {
    const rows = blobRowIds(db);
    let filesWithoutRow = 0;
    let bytesWithoutRow = 0;
    for (const [sha, bytes] of files)
      if (!rows.has(sha)) {
        filesWithoutRow++;
        bytesWithoutRow += bytes;
      }
    let rowsWithoutFile = 0;
    for (const sha of rows) if (!files.has(sha)) rowsWithoutFile++;
    const orphans = { filesWithoutRow, bytesWithoutRow, rowsWithoutFile };
    return { dataDir, sizes, integrity, damage, orphans, reclaimable: reclaimableBlobs(db) };
  } finally {
    db.close();
  }
}

/** The stored files (blobs/<aa>/<sha256>) and their sizes. */
function blobFiles(dir: string): Map<string, number> {
  const files = new Map<string, number>();
  if (!existsSync(dir)) return files;
  for (const folder of readdirSync(dir)) {
    if (!/^[0-9a-f]{2}$/.test(folder)) continue;
    for (const entry of readdirSync(join(dir, folder), { withFileTypes: true }))
      if (entry.isFile() && /^[0-9a-f]{64}$/.test(entry.name))
        files.set(entry.name, statSync(join(dir, folder, entry.name)).size);
  }
  return files;
}
