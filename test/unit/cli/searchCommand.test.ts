import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { groupThousands, searchCommand } from '../../../main/cli/searchCommand.ts';
import { openIndex } from '../../../main/db/openIndex.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';
import { makeTempDir } from '../../support/tempDir.ts';

describe('outpost search', () => {
  const dir = makeTempDir();
  const dataDir = join(dir.path, 'data');

  beforeAll(() => {
    mkdirSync(dataDir, { recursive: true });
    const db = openIndex(join(dataDir, 'index.sqlite'));
    const home = seedAccount(db, 'me@home.test');
    const work = seedAccount(db, 'me@work.test');
    writeMessages(db, home.account.id, [
      ...Array.from({ length: 4 }, (_, i) =>
        messageInput({
          remoteId: `h${i}`,
          threadRemoteId: 'home-thread',
          subject: 'Weekend meeting',
          bodyText: 'the meeting at the lake',
          sentAt: Date.UTC(2024, 0, 1 + i),
        }),
      ),
    ]);
    writeMessages(db, work.account.id, [
      messageInput({
        remoteId: 'w1',
        subject: 'Budget meeting',
        bodyText: 'meeting notes',
        sentAt: Date.UTC(2024, 1, 1),
        mailingLists: ['budget.corp.test'],
      }),
      messageInput({ remoteId: 'w2', subject: 'Planning', bodyText: 'meeting room booked', sentAt: Date.UTC(2024, 1, 2) }),
    ]);
    db.close();
  });
  afterAll(() => dir.remove());
  afterEach(() => vi.restoreAllMocks());

  const run = (query: string, options: { limit?: number; prefix?: boolean; messages?: boolean } = {}) => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    searchCommand({ dataDir, query, limit: 20, ...options });
    vi.restoreAllMocks();
    return out.join('');
  };

  it('prints one line per conversation with its account, and how many conversations match', () => {
    const out = run('meeting');
    expect(out).toMatch(/Weekend meeting \(4\)\n.*\n\s+thr_\d+ {2}me@home\.test\n/);
    expect(out).toMatch(/Budget meeting\n.*\n\s+thr_\d+ {2}me@work\.test\n/);
    expect(out.trimEnd().split('\n').at(-1)).toBe('3 conversations');
  });

  it('labels a passage that is not from the body with where it is from', () => {
    expect(run('subject:planning')).toMatch(/\n {4}subject: \*Planning\*\n/);
    expect(run('booked')).toMatch(/\n {4}meeting room \*booked\*\n/);
  });

  it('says how many exist when it shows fewer, and counts messages with --messages', () => {
    expect(run('meeting', { limit: 1 }).trimEnd().split('\n').at(-1)).toBe(
      '3 conversations, the newest 1 shown (--limit N for more)',
    );
    expect(run('meeting', { messages: true }).trimEnd().split('\n').at(-1)).toBe('6 messages');
  });

  it('matches the last word as typed with --prefix', () => {
    expect(run('meetin').trimEnd().split('\n').at(-1)).toBe('0 conversations');
    expect(run('lake meetin', { prefix: true }).trimEnd().split('\n').at(-1)).toBe('1 conversation');
    expect(run('meetin', { prefix: true }).trimEnd().split('\n').at(-1)).toBe('3 conversations');
  });

  it('finds list: by the list’s address or name, and category:focused matches nothing without the classification', () => {
    expect(run('list:budget@corp.test').trimEnd().split('\n').at(-1)).toBe('1 conversation');
    expect(run('list:corp.test meeting')).toMatch(/Budget meeting\n/);
    expect(run('category:focused').trimEnd().split('\n').at(-1)).toBe('0 conversations');
  });

  it('writes totals as en-US does (12,345), without loading ICU number formatting', () => {
    for (const n of [0, 7, 999, 1000, 12_345, 100_000, 1_234_567, 1_000_000_000])
      expect(groupThousands(n)).toBe(n.toLocaleString('en-US'));
  });

  it('refuses an operator it cannot search as wrong usage', () => {
    expect(() => run('is:sleepy')).toThrow(/is:sleepy/);
    expect(() => run('list:@')).toThrow(/list: needs/);
  });
});
