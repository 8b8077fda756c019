import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { logsCommand, newestLogLines } from '../../../main/cli/logsCommand.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const line = (n: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ level: 30, time: '2026-12-04T10:00:00.000Z', pid: 1, component: 'sync', msg: `event ${n}`, ...extra });

describe('outpost logs', () => {
  const dir = makeTempDir();
  const dataDir = join(dir.path, 'data');
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  // pino-roll numbers files upwards: outpost.10.log is newer than outpost.9.log.
  writeFileSync(join(dataDir, 'logs', 'outpost.9.log'), `${[1, 2, 3].map((n) => line(n)).join('\n')}\n`);
  writeFileSync(join(dataDir, 'logs', 'outpost.10.log'), `${[4, 5].map((n) => line(n)).join('\n')}\n`);
  writeFileSync(join(dataDir, 'logs', 'notes.txt'), 'not a log\n');
  afterAll(() => dir.remove());
  afterEach(() => vi.restoreAllMocks());

  it('takes the newest lines, reading back into older files, oldest first', () => {
    expect(newestLogLines(join(dataDir, 'logs'), 2).map((l) => JSON.parse(l).msg)).toEqual(['event 4', 'event 5']);
    expect(newestLogLines(join(dataDir, 'logs'), 4).map((l) => JSON.parse(l).msg)).toEqual([
      'event 2',
      'event 3',
      'event 4',
      'event 5',
    ]);
    expect(newestLogLines(join(dataDir, 'logs'), 100)).toHaveLength(5);
    expect(newestLogLines(join(dir.path, 'nowhere'), 10)).toEqual([]);
  });

  it('prints them readable: time, level, component and message, then the fields', () => {
    writeFileSync(
      join(dataDir, 'logs', 'outpost.11.log'),
      `${line(6, { level: 50, component: 'api', msg: 'request failed', request_id: 'req_abc', err: { message: 'boom', stack: 'Error: boom\n    at here' } })}\n`,
    );
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    logsCommand({ dataDir, lines: 2 });
    const text = out.join('');
    expect(text).toMatch(/INFO: \[sync\] event 5\n/);
    expect(text).toMatch(/ERROR: \[api\] request failed\n/);
    expect(text).toContain('request_id: "req_abc"');
    expect(text).toContain('at here');
    expect(text).not.toContain('event 4');
    expect(text).not.toContain('"pid"');
  });

  it('says where it looked when nothing was logged yet', () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    logsCommand({ dataDir: join(dir.path, 'empty'), lines: 10 });
    expect(out.join('')).toBe(`nothing logged yet in ${join(dir.path, 'empty', 'logs')}\n`);
  });
});
