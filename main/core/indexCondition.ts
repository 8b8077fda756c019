import { existsSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkIndexFile, type IntegrityReport, isCorruptionError } from '../db/integrity.ts';
import { OutpostError } from './outpostError.ts';
import { blobsDir, indexPath, vaultKeyPath } from './paths.ts';
import { PRIVATE_FILE_MODE } from './privateFiles.ts';

/**
 * Whether a data directory's index can be trusted. Damage, once found, is
 * written down beside the index (`index.sqlite.damage.json`) so that every
 * later opening knows it before touching the file: a damaged index is never
 * opened for writing again (no migration, no checkpoint, no VACUUM) until
 * `outpost repair` has moved it aside.
 */
export interface IndexDamage {
  /** One line for a person: what is wrong and what to do. */
  message: string;
  /** SQLite's own words for what it found (at most 20). */
  problems: string[];
  /** ISO 8601: when the damage was found. */
  detectedAt: string;
}

/**
 * Indexes up to this size are checked (PRAGMA quick_check) before they are
 * opened, by every command; larger ones are checked by `outpost serve` in a
 * child process right after start, and by `outpost doctor`. quick_check reads
 * about 100 MiB/s on the reference machine (docs/benchmarks.md: 7.5 s for
 * 100,000 messages, 751 MiB), so 32 MiB costs at most ~0.3 s per start.
 * OUTPOST_INTEGRITY_CHECK_MAX_BYTES overrides it.
 */
export const DEFAULT_CHECK_AT_OPEN_MAX_BYTES = 32 * 2 ** 20;

export function checkAtOpenMaxBytes(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.OUTPOST_INTEGRITY_CHECK_MAX_BYTES);
  return env.OUTPOST_INTEGRITY_CHECK_MAX_BYTES && Number.isFinite(value) && value >= 0 ? value : DEFAULT_CHECK_AT_OPEN_MAX_BYTES;
}

/** Refused because the index is damaged: one line, naming the fix. */
export class IndexDamagedError extends OutpostError {
  readonly damage: IndexDamage;
  constructor(damage: IndexDamage) {
    super('index_corrupt', damage.message);
    this.damage = damage;
  }
}

export function damageNotePath(dataDir: string): string {
  return `${indexPath(dataDir)}.damage.json`;
}

interface DamageNote extends IndexDamage {
  /** The damaged file's inode: a note about another file (the user put a backup in its place) is stale. */
  ino: number;
}

/** The damage written down for this data directory's index, if the note is about the file there now. */
export function readDamageNote(dataDir: string): IndexDamage | null {
  const notePath = damageNotePath(dataDir);
  if (!existsSync(notePath)) return null;
  let note: DamageNote;
  try {
    note = JSON.parse(readFileSync(notePath, 'utf8')) as DamageNote;
  } catch {
    return null;
  }
  const index = indexPath(dataDir);
  if (!existsSync(index) || statSync(index).ino !== note.ino) return null;
  return { message: note.message, problems: note.problems, detectedAt: note.detectedAt };
}

/** Writes the damage down (0600) so that every later opening refuses at once; answers it. */
export function recordDamage(dataDir: string, problems: readonly string[]): IndexDamage {
  const index = indexPath(dataDir);
  const damage: IndexDamage = {
    message: `the index ${index} is damaged (${problems[0] ?? 'unreadable'}); Outpost will not write to it: run outpost repair`,
    problems: problems.slice(0, 20),
    detectedAt: new Date().toISOString(),
  };
  const note: DamageNote = { ...damage, ino: existsSync(index) ? statSync(index).ino : 0 };
  writeFileSync(damageNotePath(dataDir), `${JSON.stringify(note, null, 2)}\n`, { mode: PRIVATE_FILE_MODE });
  return damage;
}

/** After a repair: the note goes with the damaged file it describes (`<moved file>.damage.json`). */
export function moveDamageNote(dataDir: string, movedIndex: string): void {
  const notePath = damageNotePath(dataDir);
  if (existsSync(notePath)) renameSync(notePath, `${movedIndex}.damage.json`);
}

/** Forgets a note that no longer describes the file (tests, and a repair that found nothing). */
export function clearDamageNote(dataDir: string): void {
  if (existsSync(damageNotePath(dataDir))) unlinkSync(damageNotePath(dataDir));
}

export interface IndexCondition {
  /** Null when nothing is known to be wrong. */
  damage: IndexDamage | null;
  /** False when the index was too large to check before opening: check it in the background (checkIndexFileInBackground). */
  checked: boolean;
  /** True when the check was skipped: a clean verdict about this very file (cleanVerdictPath) was kept from an earlier check. */
  reused?: boolean;
  report?: IntegrityReport;
}

/**
 * What is known about the index before it is opened, never writing to it:
 * damage written down earlier; an empty (0-byte) index beside stored
 * messages or a vault key (a truncated index, not a new one); and, for an
 * index up to `maxBytes`, SQLite's quick_check, unless an earlier check found
 * this same file clean (cleanVerdictPath). Damage found is written down.
 */
export function assessIndex(dataDir: string, options: { maxBytes?: number } = {}): IndexCondition {
  const index = indexPath(dataDir);
  if (!existsSync(index)) return { damage: null, checked: true };
  const noted = readDamageNote(dataDir);
  if (noted) return { damage: noted, checked: true };
  const size = statSync(index).size;
  if (size === 0) {
    const kept = keptData(dataDir);
    if (!kept) return { damage: null, checked: true };
    return { damage: recordDamage(dataDir, [`the index is empty (0 bytes) beside ${kept}`]), checked: true };
  }
  if (size > (options.maxBytes ?? checkAtOpenMaxBytes())) return { damage: null, checked: false };
  const identity = indexIdentity(index);
  if (readCleanVerdict(dataDir) === identity) return { damage: null, checked: true, reused: true };
  const report = checkIndexFile(index);
  if (!report.ok) return { damage: recordDamage(dataDir, report.problems), checked: true, reused: false, report };
  // Kept only if nothing wrote to the file while it was checked.
  if (indexIdentity(index) === identity) writeCleanVerdict(dataDir, identity);
  return { damage: null, checked: true, reused: false, report };
}

/**
 * A clean quick_check's verdict, kept beside the index (`index.sqlite.clean.json`)
 * so that a short command on an index nothing has written to since skips the
 * check (docs/benchmarks.md, CLI start-up). It names the file it is about by its
 * identity and its WAL's: device, inode, size, modification and (the main file's)
 * change time to the nanosecond. Any write (by SQLite or anything else; restoring the
 * modification time still moves the change time) makes it stale, and the index
 * is checked again before it is opened.
 */
export function cleanVerdictPath(dataDir: string): string {
  return `${indexPath(dataDir)}.clean.json`;
}

/**
 * After an engine (`outpost sync`, `serve`) that opened the index on a clean
 * verdict closes it without having met damage: what it wrote went through
 * SQLite, so the verdict carries over to the file as it left it, and the next
 * command does not check again what this one found clean (for `outpost sync`,
 * the check cost more than the sync itself on a small index).
 */
export function renewCleanVerdict(dataDir: string): void {
  if (readDamageNote(dataDir)) return;
  writeCleanVerdict(dataDir, indexIdentity(indexPath(dataDir)));
}

function indexIdentity(index: string): string {
  const of = (path: string) => {
    const s = statSync(path, { bigint: true, throwIfNoEntry: false });
    if (!s) return 'none';
    if (path === index) return [s.dev, s.ino, s.size, s.mtimeNs, s.ctimeNs].join(':');
    // An empty WAL holds nothing, like a missing one (a read-only opening, the check's own, leaves one
    // behind). Not its change time: SQLite run as root gives the WAL its index's owner on every opening.
    return s.size === 0n ? 'none' : [s.dev, s.ino, s.size, s.mtimeNs].join(':');
  };
  return `${of(index)} wal ${of(`${index}-wal`)}`;
}

function readCleanVerdict(dataDir: string): string | null {
  try {
    return (JSON.parse(readFileSync(cleanVerdictPath(dataDir), 'utf8')) as { identity?: unknown }).identity as string;
  } catch {
    return null;
  }
}

function writeCleanVerdict(dataDir: string, identity: string): void {
  try {
    // A command reading it half-written finds no verdict and checks: never a wrong one.
    writeFileSync(cleanVerdictPath(dataDir), `${JSON.stringify({ identity, checkedAt: new Date().toISOString() })}\n`, {
      mode: PRIVATE_FILE_MODE,
    });
  } catch {
    // A read-only data directory: the next command checks again.
  }
}

/**
 * A damaged page met after opening (a query, an opening that reads past the
 * header) as IndexDamagedError, written down so every later opening refuses
 * at once; any other error as it is. Errors are told by their code and
 * fields, not their class: the CLI calls this with what a command's bundle,
 * holding its own copies of these classes, threw (scripts/build.mjs).
 */
export function asIndexDamage(dataDir: string, error: unknown): unknown {
  if (error instanceof IndexDamagedError || (error as Partial<IndexDamagedError> | null)?.damage) return error;
  const sqlite = error instanceof Error && (error as Partial<OutpostError>).code === 'index_corrupt' ? error.cause : error;
  if (!isCorruptionError(sqlite)) return error;
  const problem = `${(sqlite as Error).message} (${(sqlite as { code: string }).code})`;
  return new IndexDamagedError(readDamageNote(dataDir) ?? recordDamage(dataDir, [problem]));
}

/** Refuses (IndexDamagedError, one line) when the index is known or found to be damaged. */
export function refuseDamagedIndex(dataDir: string): IndexCondition {
  const condition = assessIndex(dataDir);
  if (condition.damage) throw new IndexDamagedError(condition.damage);
  return condition;
}

/** What an empty index file sits beside that a new index would not: stored files, a vault key. */
function keptData(dataDir: string): string | null {
  const blobs = blobsDir(dataDir);
  const stored =
    existsSync(blobs) &&
    readdirSync(blobs, { withFileTypes: true }).some(
      (entry) => entry.isDirectory() && /^[0-9a-f]{2}$/.test(entry.name) && readdirSync(join(blobs, entry.name)).length > 0,
    );
  if (stored) return `stored messages in ${blobs}`;
  if (existsSync(vaultKeyPath(dataDir))) return `a vault key (${vaultKeyPath(dataDir)})`;
  return null;
}
