import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prettyFactory } from 'pino-pretty';
import { logDir } from '../core/log.ts';

/**
 * `outpost logs [--lines N]`: the newest lines of the data directory's log
 * (`<data-dir>/logs/outpost.N.log`, JSON lines) made readable for a
 * terminal: time, level, component, message, then the other fields.
 */
export function logsCommand(options: { dataDir: string; lines: number }): void {
  const dir = logDir(options.dataDir);
  const lines = newestLogLines(dir, options.lines);
  if (lines.length === 0) {
    process.stdout.write(`nothing logged yet in ${dir}\n`);
    return;
  }
  const prettify = prettyFactory({
    colorize: process.stdout.isTTY === true,
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l',
    ignore: 'pid,hostname,component',
    messageFormat: '{if component}[{component}] {end}{msg}',
  });
  for (const line of lines) process.stdout.write(prettify(line));
}

/** The last `count` lines of the log files in `dir`, oldest first, reading back through older files as needed. */
export function newestLogLines(dir: string, count: number): string[] {
  const collected: string[] = [];
  for (const file of logFilesNewestFirst(dir)) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean);
    collected.unshift(...lines.slice(-(count - collected.length)));
    if (collected.length >= count) break;
  }
  return collected;
}

/** outpost.3.log, outpost.2.log, ...: pino-roll numbers the files upwards, so the highest is the newest. */
function logFilesNewestFirst(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const numberOf = (file: string) => Number(/^outpost\.(\d+)\.log$/.exec(file)?.[1] ?? Number.NaN);
  return readdirSync(dir)
    .filter((file) => !Number.isNaN(numberOf(file)))
    .sort((a, b) => numberOf(b) - numberOf(a));
}
