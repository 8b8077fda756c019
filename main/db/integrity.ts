import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import { asReadable, type ReadableDb } from './handles.ts';

/** What SQLite found when it checked an index file. */
export interface IntegrityReport {
  ok: boolean;
  /** SQLite's own words for each problem found (at most `maxProblems`). */
  problems: string[];
  check: IntegrityCheck;
  ms: number;
}

/**
 * quick_check walks every page of every table and index (O(N)); integrity_check
 * also matches every index entry against its row (O(N log N)).
 */
export type IntegrityCheck = 'quick_check' | 'integrity_check';

export interface IntegrityOptions {
  check?: IntegrityCheck;
  maxProblems?: number;
}

/**
 * Checks the index file at `path` on its own read-only connection: it never
 * writes (nor checkpoints the WAL on close, as a read-write connection
 * would), whatever it finds. A file SQLite cannot read at all is damaged too.
 */
export function checkIndexFile(path: string, options: IntegrityOptions = {}): IntegrityReport {
  const check = options.check ?? 'quick_check';
  const started = performance.now();
  let outcome: CheckOutcome;
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    outcome = { rows: db.pragma(`${check}(${options.maxProblems ?? 20})`, { simple: false }) as Array<Record<string, unknown>> };
  } catch (error) {
    outcome = { error: { code: (error as { code?: string }).code ?? '', message: (error as Error).message } };
  } finally {
    db?.close();
  }
  return reportOf(outcome, check, performance.now() - started);
}

/**
 * The same check in a child process, so a large index is checked without
 * blocking the caller's event loop (a long PRAGMA cannot be interrupted from
 * inside; a process can be killed). `stop()` kills it; the promise then
 * resolves to null.
 */
export function checkIndexFileInBackground(
  path: string,
  options: IntegrityOptions = {},
): { result: Promise<IntegrityReport | null>; stop(): void } {
  const check = options.check ?? 'quick_check';
  const started = performance.now();
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const child = spawn(process.execPath, ['-e', CHILD_SOURCE, driver, path, check, String(options.maxProblems ?? 20)], {
    stdio: ['ignore', 'pipe', 'ignore'],
    // In Electron's utility process, execPath is Electron: run it as the Node it contains.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    windowsHide: true,
  });
  let stopped = false;
  const result = new Promise<IntegrityReport | null>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (stopped) return resolve(null);
      try {
        resolve(reportOf(JSON.parse(output) as CheckOutcome, check, performance.now() - started));
      } catch {
        reject(new Error(`the integrity check of ${path} ended with code ${code} and no answer`));
      }
    });
  });
  return {
    result,
    stop() {
      if (child.exitCode !== null || stopped) return;
      stopped = true;
      child.kill();
    },
  };
}

type CheckOutcome = { rows: Array<Record<string, unknown>> } | { error: { code: string; message: string } };

// The child: open read-only, run the pragma, print the rows or the error as JSON.
const CHILD_SOURCE = `
const [driver, path, check, max] = process.argv.slice(1);
const Database = require(driver);
let db = null, out;
try {
  db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  out = { rows: db.pragma(check + '(' + Number(max) + ')') };
} catch (error) {
  out = { error: { code: error.code || '', message: error.message } };
} finally {
  if (db) db.close();
}
process.stdout.write(JSON.stringify(out));
`;

/** A read-only connection to any index file, whatever its schema version (`outpost doctor`): it never writes. */
export function openForInspection(path: string): ReadableDb {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return asReadable(db);
}

/** Whether an error from SQLite means the file itself is damaged (not a busy lock or a full disk). */
export function isCorruptionError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

function reportOf(outcome: CheckOutcome, check: IntegrityCheck, ms: number): IntegrityReport {
  if ('error' in outcome) {
    if (!isCorruptionError(outcome.error)) throw Object.assign(new Error(outcome.error.message), { code: outcome.error.code });
    return { ok: false, problems: [`${outcome.error.message} (${outcome.error.code})`], check, ms };
  }
  // A row can hold several lines, headed "*** in database main ***" when the damage is in a
  // b-tree page: one problem per line, without the header, so each is one line to show.
  const problems = outcome.rows
    .flatMap((row) => String(Object.values(row)[0]).split('\n'))
    .map((line) => line.trim())
    .filter((line) => line !== '' && line !== 'ok' && !/^\*\*\* in database \S+ \*\*\*$/.test(line));
  return { ok: problems.length === 0, problems, check, ms };
}
