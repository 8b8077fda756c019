import { describe, expect, it } from 'vitest';
import { duration, ProgressBoard } from '../../../main/cli/syncProgress.ts';

function output(isTTY: boolean) {
  const written: string[] = [];
  return { written, out: { isTTY, write: (text: string) => written.push(text) } };
}

describe('ProgressBoard', () => {
  it('shows done/total with a bar, the rate and the time left, then calendars and the outcome', () => {
    let now = 0;
    const { out } = output(false);
    const board = new ProgressBoard(out, { now: () => now });
    board.add('a', 'alice@gmail.test');
    now = 10_000;
    board.update('a', { messages: { done: 500, total: 2000 } });
    expect(board.line('a')).toBe(`alice@gmail.test  [######${'.'.repeat(18)}] 500/2000 messages  50 msg/s  0:30 left`);
    board.update('a', { calendars: { done: 1, total: 3 } });
    board.update('a', { calendars: { done: 3, total: 3, events: 42 } });
    now = 40_000;
    board.update('a', { messages: { done: 2000, total: 2000 }, outcome: 'done' });
    expect(board.line('a')).toBe(
      `alice@gmail.test  [${'#'.repeat(24)}] 2000/2000 messages  50 msg/s  calendars 3/3, 42 events  done`,
    );
  });

  it('without a total: the count and the rate, no bar and no time left', () => {
    let now = 0;
    const board = new ProgressBoard(output(false).out, { now: () => now });
    now = 4_000;
    board.update('b', { messages: { done: 10, total: null } });
    expect(board.line('b')).toBe('b  10 messages  2.5 msg/s');
  });

  it('not on a terminal: plain lines, at most one per account per period while it changes, and always the last', () => {
    let now = 0;
    const { out, written } = output(false);
    const board = new ProgressBoard(out, { now: () => now, plainEveryMs: 2_000 });
    board.add('a', 'a@x');
    board.add('b', 'b@x');
    now = 1_000;
    board.update('a', { messages: { done: 100, total: 1000 } });
    board.update('b', { messages: { done: 5, total: 50 } });
    now = 1_500;
    board.update('a', { messages: { done: 200, total: 1000 } }); // within the period: not printed
    now = 3_500;
    board.update('a', { messages: { done: 300, total: 1000 } });
    now = 3_600;
    board.update('a', { messages: { done: 1000, total: 1000 }, outcome: 'done' });
    expect(written.every((text) => text.endsWith('\n') && !text.includes('\x1b'))).toBe(true);
    expect(written.map((line) => /^(\S+).* (\d+)\/\d+ messages/.exec(line)?.slice(1, 3).join(' '))).toEqual([
      'a@x 100',
      'b@x 5',
      'a@x 300',
      'a@x 1000',
    ]);
    expect(written.at(-1)).toMatch(/ done\n$/);
  });

  it('on a terminal: every account on its own line, redrawn in place', () => {
    const { out, written } = output(true);
    const board = new ProgressBoard(out, { now: () => 1_000 });
    board.add('a', 'a@x');
    board.add('b', 'b@x');
    board.update('a', { messages: { done: 1, total: 4 } });
    expect(written[0]).toBe(`\r\x1b[2K${board.line('a')}\n\r\x1b[2Kb@x\n`);
    board.update('b', { messages: { done: 2, total: 4 } });
    expect(written[1]).toBe(`\x1b[2A\r\x1b[2K${board.line('a')}\n\r\x1b[2K${board.line('b')}\n`);
  });

  it('formats the time left', () => {
    expect(duration(75)).toBe('1:15');
    expect(duration(3700)).toBe('1:01:40');
    expect(duration(0.4)).toBe('0:00');
  });
});
