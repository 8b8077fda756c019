import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreRestartPolicy } from '../../../main/electron/coreRestartPolicy.ts';
import { MailtoError, parseMailto } from '../../../main/electron/mailtoLink.ts';
import { type MailNotification, NotificationBatcher } from '../../../main/electron/notificationBatcher.ts';
import { desktopVaultKey, type SafeStorageLike } from '../../../main/electron/vaultKeySource.ts';
import { makeTempDir } from '../../support/tempDir.ts';

describe('mailto: links (RFC 6068)', () => {
  it('reads addresses from the path and fields, and decodes UTF-8 subject and body', () => {
    expect(
      parseMailto(
        'mailto:jane@example.com,joe@example.com?cc=boss@example.com&CC=x@example.com&bcc=b@example.com&subject=Caf%C3%A9%20plans&body=Line%201%0D%0ALine%202',
      ),
    ).toEqual({
      to: ['jane@example.com', 'joe@example.com'],
      cc: ['boss@example.com', 'x@example.com'],
      bcc: ['b@example.com'],
      subject: 'Café plans',
      body: 'Line 1\nLine 2',
    });
    expect(parseMailto('mailto:?to=a@example.com&to=b@example.com').to).toEqual(['a@example.com', 'b@example.com']);
    expect(parseMailto('MAILTO:%22Doe%2C%20Jane%22%20%3Cjane@example.com%3E').to).toEqual(['"Doe', 'Jane" <jane@example.com>']);
  });

  it('ignores fields that could pick the sender or inject headers, and strips line breaks', () => {
    const draft = parseMailto('mailto:a@example.com?from=evil@example.com&x-header=1&subject=Hi%0D%0ABcc:%20victim@example.com');
    expect(draft).toEqual({ to: ['a@example.com'], cc: [], bcc: [], subject: 'Hi Bcc: victim@example.com', body: '' });
  });

  it('rejects what is not a mailto link or is broken', () => {
    expect(() => parseMailto('https://example.com')).toThrow(MailtoError);
    expect(() => parseMailto('mailto:a@example.com?subject=%E0%A4%A')).toThrow(MailtoError);
    expect(() => parseMailto(`mailto:${'a'.repeat(70_000)}`)).toThrow(MailtoError);
  });
});

describe('new-mail notification batching', () => {
  let shown: MailNotification[];
  let timers: Array<() => void>;
  let settings: { doNotDisturb: boolean; mutedAccounts: Set<string> };
  const batcher = () =>
    new NotificationBatcher({ show: (n) => shown.push(n), settings: () => settings, setTimer: (fn) => timers.push(fn) });
  beforeEach(() => {
    shown = [];
    timers = [];
    settings = { doNotDisturb: false, mutedAccounts: new Set() };
  });

  it('shows one notification per batch, opening the newest thread', () => {
    const b = batcher();
    b.add({ accountId: 'a', threadId: 't1', from: 'Ann', subject: 'Lunch?' });
    b.add({ accountId: 'a', threadId: 't2', from: 'Bob', subject: 'Report' });
    b.add({ accountId: 'a', threadId: 't3', from: 'Ann', subject: 'Re: Lunch?' });
    expect(timers).toHaveLength(1);
    timers[0]?.();
    expect(shown).toEqual([{ title: '3 new messages', body: 'Ann, Bob', threadId: 't3' }]);
  });

  it('shows a single message as sender and subject', () => {
    const b = batcher();
    b.add({ accountId: 'a', threadId: 't1', from: 'Ann', subject: '' });
    b.flush();
    expect(shown).toEqual([{ title: 'Ann', body: '(no subject)', threadId: 't1' }]);
  });

  it('respects do-not-disturb and muted accounts', () => {
    const b = batcher();
    settings.mutedAccounts.add('muted');
    b.add({ accountId: 'muted', threadId: 't', from: 'x', subject: 'y' });
    settings.doNotDisturb = true;
    b.add({ accountId: 'a', threadId: 't', from: 'x', subject: 'y' });
    b.flush();
    expect(shown).toEqual([]);
  });
});

describe('core restart policy', () => {
  it('backs off exponentially and gives up after too many crashes in the window', () => {
    const policy = new CoreRestartPolicy({ maxCrashes: 3, windowMs: 60_000 });
    expect(policy.onCrash(0)).toBe(1_000);
    expect(policy.onCrash(1_000)).toBe(2_000);
    expect(policy.onCrash(3_000)).toBe(4_000);
    expect(policy.onCrash(7_000)).toBeNull();
  });

  it('forgets crashes older than the window', () => {
    const policy = new CoreRestartPolicy({ maxCrashes: 2, windowMs: 10_000 });
    policy.onCrash(0);
    policy.onCrash(1_000);
    expect(policy.onCrash(50_000)).toBe(1_000);
  });
});

describe('the desktop vault key', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => dir.remove());

  const fakeSafeStorage = (available: boolean): SafeStorageLike => ({
    isEncryptionAvailable: () => available,
    encryptString: (plain) => Buffer.from(`sealed:${Buffer.from(plain).toString('hex')}`),
    decryptString: (sealed) => Buffer.from(sealed.toString().slice('sealed:'.length), 'hex').toString(),
  });

  it('keeps the key sealed by the OS keychain and reads the same key back', () => {
    const first = desktopVaultKey(dir.path, fakeSafeStorage(true));
    expect(first.protection).toBe('keychain');
    expect(existsSync(join(dir.path, 'vault.key'))).toBe(false);
    expect(readFileSync(join(dir.path, 'vault.key.sealed'), 'utf8')).toMatch(/^sealed:/);
    expect(desktopVaultKey(dir.path, fakeSafeStorage(true)).key.equals(first.key)).toBe(true);
  });

  it('falls back to the 0600 key file without a keyring, and adopts it once one appears', () => {
    const fallback = desktopVaultKey(dir.path, fakeSafeStorage(false));
    expect(fallback.protection).toBe('file');
    const sealed = desktopVaultKey(dir.path, fakeSafeStorage(true));
    expect(sealed).toMatchObject({ protection: 'keychain' });
    expect(sealed.key.equals(fallback.key)).toBe(true);
  });
});
