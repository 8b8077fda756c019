import { describe, expect, it } from 'vitest';
import { refreshScope } from '../../../renderer/src/mail/refreshScope.ts';
import type { AccountResponseBody } from '../../../shared/api/accounts.ts';
import type { JobSnapshot } from '../../../shared/events.ts';

type Account = AccountResponseBody['data'];

const account = (id: string, email: string, state: Partial<Account> = {}) =>
  ({ id, email, last_synced_at: null, last_error: null, ...state }) as Account;
const job = (accountId: string | null, done: number, total: number | null = null) =>
  ({ id: `sync_${accountId}`, kind: 'email_sync', account_id: accountId, progress: { done, total } }) as JobSnapshot;
const at = (iso: string) => `Synced ${new Date(iso).getFullYear()}`;
/** The state with dates reduced to their year (the long format follows the machine's locale and zone). */
const stateOf = (scope: ReturnType<typeof refreshScope>) => scope?.state.replace(/^Synced .*?(\d{4}).*$/, 'Synced $1') ?? null;

const gmail = account('acc_g', 'ann@gmail.test', { last_synced_at: '2001-03-04T05:06:07Z' });
const outlook = account('acc_o', 'bob@contoso.test', { last_synced_at: '2003-03-04T05:06:07Z' });

describe('refreshScope: what the mail view Refresh syncs and says', () => {
  it('in a unified view: every account, any account sync in progress, the newest sync or the first failure', () => {
    expect(refreshScope([gmail, outlook], [], undefined)).toMatchObject({ account: undefined, syncing: false });
    expect(stateOf(refreshScope([gmail, outlook], [], undefined))).toBe(at('2003-03-04T05:06:07Z'));
    // Short as the list's dates; the whole date and time in the tooltip.
    const today = new Date().toISOString();
    const fresh = refreshScope([account('acc_g', 'ann@gmail.test', { last_synced_at: today })], [], undefined);
    expect(fresh?.state).not.toContain(String(new Date().getFullYear()));
    expect(fresh?.detail).toContain(String(new Date().getFullYear()));
    const running = refreshScope([gmail, outlook], [job(null, 0), job('acc_g', 1200, 4000)], undefined);
    expect(running).toMatchObject({ syncing: true, state: 'Syncing 1,200 of 4,000 messages' });
    const failed = account('acc_o', 'bob@contoso.test', { last_error: 'Graph answered 503' });
    expect(refreshScope([gmail, failed], [], undefined)?.state).toBe('Sync failed for bob@contoso.test: Graph answered 503');
  });

  it("in one account's mailbox: that account alone, its own progress, last sync and failure", () => {
    const failedGmail = account('acc_g', 'ann@gmail.test', { last_error: 'quota' });
    const scope = refreshScope([failedGmail, outlook], [job('acc_g', 300, null)], 'acc_o');
    expect(scope?.account?.id).toBe('acc_o');
    expect(scope?.syncing).toBe(false);
    expect(stateOf(scope)).toBe(at('2003-03-04T05:06:07Z'));
    expect(refreshScope([failedGmail, outlook], [job('acc_g', 300, null)], 'acc_g')).toMatchObject({
      syncing: true,
      state: 'Syncing 300 messages',
    });
    expect(refreshScope([failedGmail, outlook], [], 'acc_g')?.state).toBe('Sync failed for ann@gmail.test: quota');
    expect(refreshScope([account('acc_n', 'new@contoso.test')], [], 'acc_n')?.state).toBe('Not synced yet');
  });

  it('offers nothing where there is nothing to sync: no account, or an account in view that does not sync', () => {
    expect(refreshScope([], [], undefined)).toBeNull();
    expect(refreshScope([gmail], [], 'acc_imported')).toBeNull();
  });
});
