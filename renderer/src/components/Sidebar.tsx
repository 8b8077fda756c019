import { useShallow } from 'zustand/react/shallow';
import type { Label } from '../../../shared/api/threads.ts';
import { useLabelStore } from '../mail/labelStore.ts';
import { useListStore } from '../mail/listStore.ts';
import { useNavigationStore } from '../mail/navigationStore.ts';
import { useOutboxStore } from '../outboxStore.ts';

const UNIFIED: Array<{ role: string; title: string }> = [
  { role: 'inbox', title: 'Inbox' },
  { role: 'starred', title: 'Starred' },
  { role: 'sent', title: 'Sent' },
  { role: 'drafts', title: 'Drafts' },
  { role: 'archive', title: 'Archive' },
  { role: 'spam', title: 'Spam' },
  { role: 'trash', title: 'Trash' },
];

/** Unified views across accounts (by role), then each account's own labels and folders. */
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
  // The label shown in the mail section, which the sidebar marks as current.
  const active = useNavigationStore((s) => (s.section === 'mail' && s.view.kind === 'label' ? s.view.label : null));
  const showLabel = useListStore((s) => s.showLabel);
  const unreadByRole = new Map<string, number>();
  for (const label of labels)
    if (label.role) unreadByRole.set(label.role, (unreadByRole.get(label.role) ?? 0) + label.unread_thread_count);
  const byAccount = new Map<string, Label[]>();
  for (const label of labels) {
    if (label.role) continue;
    const own = byAccount.get(label.account_id);
    if (own) own.push(label);
    else byAccount.set(label.account_id, [label]);
  }
  const outboxCount = useOutboxStore((s) => s.messages.length);
  // One account: "Labels"; several: each account's own, under its address.
  const headingFor = (accountId: string) => (byAccount.size > 1 ? (accountEmails[accountId] ?? 'Labels') : 'Labels');
  // Accounts in the order they were connected (as Settings lists them), not in their labels' order.
  const accountOrder = Object.keys(accountEmails);
  const rank = (accountId: string) => {
    const index = accountOrder.indexOf(accountId);
    return index < 0 ? accountOrder.length : index;
  };
  const accountGroups = [...byAccount.entries()].sort(([a], [b]) => rank(a) - rank(b));

  return (
    <nav className="sidebar" id="sidebar" aria-label="Mailboxes">
      <ul>
        {UNIFIED.filter((u) => u.role === 'inbox' || unreadByRole.has(u.role)).map((u) => (
          <SidebarItem
            key={u.role}
            title={u.title}
            unread={unreadByRole.get(u.role) ?? 0}
            active={active === u.role}
            onSelect={() => void showLabel(u.role, u.title)}
          />
        ))}
      </ul>
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
        <section key={accountId} aria-label={headingFor(accountId)}>
          <h2 className="sidebar-heading">{headingFor(accountId)}</h2>
          <ul>
            {accountLabels.map((label) => (
              <SidebarItem
                key={label.id}
                title={label.name}
                unread={label.unread_thread_count}
                active={active === label.id}
                onSelect={() => void showLabel(label.id, label.name)}
              />
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}

function SidebarItem({
  title,
  unread,
  countText = 'unread',
  active,
  onSelect,
}: {
  title: string;
  unread: number;
  /** What the count is, for screen readers. */
  countText?: string;
  active: boolean;
  onSelect: () => void;
}) {
  return (
    <li>
      <button
        type="button"
        className={`sidebar-item${active ? ' active' : ''}`}
        aria-current={active ? 'page' : undefined}
        onClick={onSelect}
      >
        <span>{title}</span>
        {unread > 0 && (
          <span className="unread-count">
            {unread}
            <span className="sr-only"> {countText}</span>
          </span>
        )}
      </button>
    </li>
  );
}
