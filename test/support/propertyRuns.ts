import { type Engine, openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import { OutpostError } from '../../main/core/outpostError.ts';
import { applyThreadAction, type ThreadAction } from '../../main/mail/threadActions.ts';
import { startEmulator } from '../emulator/index.ts';
import { openBrowser as formPostBrowser } from '../emulator/microsoft/testAuth.ts';
import { autoConsentBrowser, googleConfigFor, microsoftConfigFor } from './emulatorAccounts.ts';

/**
 * The size of a property run: OUTPOST_PROPERTY_SEED picks the random sequence
 * (a failure names it with its round), OUTPOST_PROPERTY_ROUNDS the number of
 * rounds per provider (`npm test` runs the short default; the nightly size is 1,000).
 */
export function propertyRun(defaultRounds: number): { seed: number; rounds: number } {
  const seed = Number(process.env.OUTPOST_PROPERTY_SEED ?? 424242);
  const rounds = Number(process.env.OUTPOST_PROPERTY_ROUNDS ?? defaultRounds);
  if (!Number.isInteger(seed))
    throw new Error(`OUTPOST_PROPERTY_SEED must be an integer, not ${process.env.OUTPOST_PROPERTY_SEED}`);
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error(`OUTPOST_PROPERTY_ROUNDS must be a positive integer, not ${process.env.OUTPOST_PROPERTY_ROUNDS}`);
  return { seed, rounds };
}

/** A deadline for a test of `rounds` rounds at `msPerRound` (measured, with room for a loaded machine). */
export const propertyTimeout = (rounds: number, msPerRound: number) => 60_000 + rounds * msPerRound;

export type Rng = () => number;

export const pick = <T>(rng: Rng, items: readonly T[]): T | undefined => items[Math.floor(rng() * items.length)];

const THREAD_ACTIONS: readonly ThreadAction[] = [
  'archive',
  'move_to_inbox',
  'mark_read',
  'mark_unread',
  'star',
  'unstar',
  'trash',
  'spam',
  'not_spam',
  'add_label',
  'remove_label',
  'move_to',
];

/**
 * What the user does in Outpost to a random thread of the account (read, star,
 * label, move ...) through the engine's thread actions; the change is queued
 * and the account's next mail sync pushes it. Returns what was done, for the
 * failure message; an action the index refuses (a label that does not fit it)
 * is reported as refused.
 */
export function userThreadAction(engine: Engine, accountId: string, rng: Rng): string {
  const threads = engine.db.prepare('SELECT id FROM threads WHERE account_id = ? ORDER BY id').pluck().all(accountId) as number[];
  const labels = engine.db.prepare('SELECT id FROM labels WHERE account_id = ? ORDER BY id').pluck().all(accountId) as number[];
  const thread = pick(rng, threads);
  const action = pick(rng, THREAD_ACTIONS) as ThreadAction;
  const label = pick(rng, labels);
  if (thread === undefined) return 'outpost: no thread';
  try {
    applyThreadAction(engine.db, thread, action, label);
    return `outpost ${action}${label === undefined ? '' : ` label ${label}`} on thr_${thread}`;
  } catch (error) {
    if (error instanceof OutpostError && error.code === 'validation_error')
      return `outpost ${action} label ${label} on thr_${thread} refused`;
    throw error;
  }
}

/** An emulator seeded with `seedCount` synthetic messages and an engine with its Google and Microsoft users connected (no sync yet). */
export async function openBothProviders(dataDir: string, seedCount: number) {
  const emulator = await startEmulator({
    autoConsent: true,
    seed: { kind: 'synthetic', count: seedCount },
    serviceOptions: { google: { quotaEnabled: false } },
  });
  const engine = openEngine({
    log: silentLog,
    dataDir,
    providers: { google: googleConfigFor(emulator.baseUrl), microsoft: microsoftConfigFor(emulator.baseUrl) },
    gmailQuota: { unitsPerSecond: 1_000_000 },
  });
  const googleAccount = (await engine.providers.forConnect('google').connect({ openBrowser: autoConsentBrowser })).id;
  const outlookAccount = (await engine.providers.forConnect('microsoft').connect({ openBrowser: formPostBrowser })).id;
  return { emulator, engine, googleAccount, outlookAccount };
}
