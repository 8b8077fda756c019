import type { AccountResponseBody } from '../../../shared/api/accounts.ts';
import type { JobSnapshot } from '../../../shared/events.ts';
import { formatListDate, formatLongDate } from '../formatDate.ts';
import { progressText } from '../syncProgressText.ts';

type Account = AccountResponseBody['data'];

/** What the mail view's Refresh covers where the person is, and what it says about that mail. */
export interface RefreshScope {
  /** The account it syncs: the one whose mailbox is in view; undefined in a unified view (every account). */
  account: Account | undefined;
  /** A mail sync of that scope is queued or running. */
  syncing: boolean;
  /** Its progress, else when its mail was last synced (short, as the list's dates), or why its last sync failed. */
  state: string;
  /** The state in full (the last sync's whole date and time), for its tooltip. */
  detail: string;
}

/**
 * `accounts`: those that sync; `jobs`: the mail syncs under way (a request's parent has no account,
 * its children one each); `inView`: the account whose mailbox is open. Null where there is nothing to
 * sync (no account, or an account in view that does not sync, such as imported mail).
 */
export function refreshScope(
  accounts: readonly Account[],
  jobs: readonly JobSnapshot[],
  inView: string | undefined,
): RefreshScope | null {
  const account = inView === undefined ? undefined : accounts.find((a) => a.id === inView);
  const scope = inView === undefined ? accounts : account ? [account] : [];
  if (scope.length === 0) return null;
  const running = jobs.filter((j) => inView === undefined || j.account_id === inView);
  const progress = running.find((j) => j.account_id !== null && j.progress.done > 0)?.progress;
  const failed = scope.find((a) => a.last_error);
  const last = scope
    .map((a) => a.last_synced_at)
    .filter((t): t is string => t !== null)
    .sort()
    .at(-1);
  const state = progress
    ? `Syncing ${progressText(progress)} messages`
    : failed
      ? `Sync failed for ${failed.email}: ${failed.last_error}`
      : last
        ? `Synced ${formatListDate(last)}`
        : 'Not synced yet';
  return {
    account,
    syncing: running.length > 0,
    state,
    detail: !progress && !failed && last ? `Synced ${formatLongDate(last)}` : state,
  };
}
