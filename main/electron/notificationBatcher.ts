export interface NewMailItem {
  accountId: string;
  threadId: string;
  from: string;
  subject: string;
}

export interface MailNotification {
  title: string;
  body: string;
  /** The thread a click opens: the newest one of the batch. */
  threadId: string;
}

export interface NotificationSettings {
  doNotDisturb: boolean;
  /** Accounts whose new mail should not notify. */
  mutedAccounts: ReadonlySet<string>;
}

/**
 * Collects new inbox mail for a short window and shows one notification per
 * batch, so a sync that brings 40 messages shows one "40 new messages", not 40
 * pop-ups. Do-not-disturb and muted accounts drop their items.
 */
export class NotificationBatcher {
  readonly #show: (notification: MailNotification) => void;
  readonly #settings: () => NotificationSettings;
  readonly #windowMs: number;
  readonly #setTimer: (fn: () => void, ms: number) => unknown;
  #pending: NewMailItem[] = [];
  #timer: unknown = null;

  constructor(options: {
    show(notification: MailNotification): void;
    settings(): NotificationSettings;
    windowMs?: number;
    setTimer?: (fn: () => void, ms: number) => unknown;
  }) {
    this.#show = options.show;
    this.#settings = options.settings;
    this.#windowMs = options.windowMs ?? 3_000;
    this.#setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  }

  add(item: NewMailItem): void {
    const settings = this.#settings();
    if (settings.doNotDisturb || settings.mutedAccounts.has(item.accountId)) return;
    this.#pending.push(item);
    if (this.#timer === null) this.#timer = this.#setTimer(() => this.flush(), this.#windowMs);
  }

  flush(): void {
    this.#timer = null;
    const items = this.#pending;
    this.#pending = [];
    if (items.length === 0 || this.#settings().doNotDisturb) return;
    const newest = items[items.length - 1] as NewMailItem;
    if (items.length === 1) {
      this.#show({ title: newest.from, body: newest.subject || '(no subject)', threadId: newest.threadId });
      return;
    }
    const senders = [...new Set(items.map((i) => i.from))];
    this.#show({
      title: `${items.length} new messages`,
      body: senders.length <= 3 ? senders.join(', ') : `${senders.slice(0, 3).join(', ')} and ${senders.length - 3} more`,
      threadId: newest.threadId,
    });
  }
}
