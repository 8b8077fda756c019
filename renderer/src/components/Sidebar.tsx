import { useShallow } from 'zustand/react/shallow';
import type { Label } from '../../../shared/api/threads.ts';
import { useLabelStore } from '../mail/labelStore.ts';
import { useListStore } from '../mail/listStore.ts';
import { useNavigationStore } from '../mail/navigationStore.ts';
import { useOutboxStore } from '../outboxStore.ts';
import { AccountSection } from './AccountSection.tsx';
import { SidebarItem } from './SidebarItem.tsx';

const UNIFIED: Array<{ role: string; title: string }> = [
  { role: 'inbox', title: 'Inbox' },
  { role: 'starred', title: 'Starred' },
  { role: 'sent', title: 'Sent' },
  { role: 'drafts', title: 'Drafts' },
  { role: 'archive', title: 'Archive' },
  { role: 'spam', title: 'Spam' },
  { role: 'trash', title: 'Trash' },
];
/** Where mail clients count unread mail: the Inbox (never Sent, Trash, Spam or All Mail). */
const COUNTED = new Set(['inbox']);

/** Unified views across accounts (by role; with several accounts), then each account's own mailboxes and labels. */
export function Sidebar() {
  const { labels, accountEmails } = useLabelStore(useShallow((s) => ({ labels: s.labels, accountEmails: s.accountEmails })));
  const { section, showCalendar, showSettings, showOutbox } = useNavigationStore(
    useShallow((s) => ({
      section: s.section,
      showCalendar: s.showCalendar,
      showSettings: s.showSettings,
      showOutbox: s.showOutbox,
    })),
  );
  // The unified view shown in the mail section, which the sidebar marks as current.
  const active = useNavigationStore((s) =>
    s.section === 'mail' && s.view.kind === 'label' && !s.view.account ? s.view.label : null,
  );
  const showLabel = useListStore((s) => s.showLabel);
  const unreadByRole = new Map<string, number>();
  for (const label of labels)
    if (label.role) unreadByRole.set(label.role, (unreadByRole.get(label.role) ?? 0) + label.unread_thread_count);
  const byAccount = new Map<string, Label[]>();
  for (const label of labels) {
    const own = byAccount.get(label.account_id);
    if (own) own.push(label);
    else byAccount.set(label.account_id, [label]);
  }
  const outboxCount = useOutboxStore((s) => s.messages.length);
  // Accounts in the order they were connected (as Settings lists them), not in their labels' order.
  const accountOrder = Object.keys(accountEmails);
  const rank = (accountId: string) => {
    const index = accountOrder.indexOf(accountId);
    return index < 0 ? accountOrder.length : index;
  };
  const accountGroups = [...byAccount.entries()].sort(([a], [b]) => rank(a) - rank(b));
  const several = accountGroups.length > 1;

  return (
    <nav className="sidebar" id="sidebar" aria-label="Mailboxes">
      {several && (
        <ul>
          {UNIFIED.filter((u) => u.role === 'inbox' || u.role === 'starred' || unreadByRole.has(u.role)).map((u) => (
            <SidebarItem
              key={u.role}
              title={u.title}
              unread={COUNTED.has(u.role) ? (unreadByRole.get(u.role) ?? 0) : 0}
              active={active === u.role}
              onSelect={() => void showLabel(u.role, u.title)}
            />
          ))}
        </ul>
      )}
      <ul>
        {(outboxCount > 0 || section === 'outbox') && (
          <SidebarItem
            title="Outbox"
            unread={outboxCount}
            countText="not sent yet"
            active={section === 'outbox'}
            onSelect={showOutbox}
          />
        )}
        <SidebarItem title="Calendar" unread={0} active={section === 'calendar'} onSelect={showCalendar} />
        <SidebarItem title="Settings" unread={0} active={section === 'settings'} onSelect={showSettings} />
      </ul>
      {accountGroups.map(([accountId, accountLabels]) => (
        <AccountSection
          key={accountId}
          accountId={accountId}
          heading={accountEmails[accountId] ?? 'Labels'}
          labels={accountLabels}
          scoped={several}
        />
      ))}
    </nav>
  );
}
