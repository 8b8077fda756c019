import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import pinoRoll from 'pino-roll';
import { makePrivateDir, PRIVATE_FILE_MODE } from './privateFiles.ts';

/**
 * The core's one structured log (pino): JSON lines, one object per event,
 * made in the composition root and passed down (components take a child
 * logger named after them). What goes in: every 5xx with its request id and
 * stack, every retry with its reason and delay, each sync job's summary,
 * queries slower than 40 ms, failures no caller sees. What never goes in:
 * tokens, keys, secrets, message bodies (the paths below are censored as a
 * second line of defence; nothing logs them in the first place).
 */
export type Log = Logger;

/** Where the log files of a data directory are: outpost.1.log, outpost.2.log, ... (the highest is the newest). */
export function logDir(dataDir: string): string {
  return join(dataDir, 'logs');
}

/** A file is rolled over past this size; the newest few are kept. */
const MAX_FILE_BYTES = '10m';
const FILES_KEPT = 5;

const REDACT = [
  'authorization',
  'cookie',
  'token',
  'key',
  'secret',
  'password',
  'body',
  'raw',
  '*.authorization',
  '*.cookie',
  '*.token',
  '*.key',
  '*.secret',
  '*.password',
  '*.refresh_token',
  '*.access_token',
  '*.id_token',
  '*.body',
  '*.raw',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-dolfin-api-key"]',
];

function options(level: string): pino.LoggerOptions {
  return {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
  };
}

export interface LogFile {
  log: Log;
  /** The folder the files are written to. */
  dir: string;
  /** Writes what is buffered and closes the file. */
  close(): Promise<void>;
}

/**
 * The data directory's log: `<dataDir>/logs/outpost.N.log`, rolled over at
 * 10 MB (pino-roll), five files kept. Writes are synchronous, so a crash or
 * kill loses no line that was logged before it. `outpost logs` prints them
 * for a terminal.
 */
export async function openLogFile(dataDir: string, level = process.env.OUTPOST_LOG_LEVEL ?? 'info'): Promise<LogFile> {
  const dir = logDir(dataDir);
  makePrivateDir(dir);
  const stream = await pinoRoll({
    file: join(dir, 'outpost'),
    extension: '.log',
    size: MAX_FILE_BYTES,
    limit: { count: FILES_KEPT, removeOtherLogFiles: true },
    mkdir: true,
    sync: true,
    mode: PRIVATE_FILE_MODE,
  });
  const log = pino(options(level), stream);
  return {
    log,
    dir,
    close: () =>
      new Promise<void>((resolve) => {
        if (stream.destroyed) return resolve();
        stream.once('close', () => resolve());
        stream.end();
      }),
  };
}

/** A log kept in memory (tests read what was logged). */
export function memoryLog(level = 'debug'): { log: Log; lines(): Array<Record<string, unknown>>; text(): string } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const log = pino(options(level), sink);
  const text = () => chunks.join('');
  return {
    log,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** A log that drops everything: for code paths whose failures are shown to the user directly (read-only commands). */
export const silentLog: Log = pino({ level: 'silent' });
