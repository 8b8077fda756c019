/** A terminal, or a pipe: where the board writes. */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Where one account's sync stands: mail by messages, calendars by calendars (events counted at the end). */
export interface AccountProgress {
  messages?: { done: number; total: number | null };
  calendars?: { done: number; total: number | null; events?: number };
  /** Set once the account's syncs ended: its line then says so and stops changing. */
  outcome?: string;
}

interface Row {
  label: string;
  progress: AccountProgress;
  /** Where the rate counts from: the board's start (a sync starts from nothing), or when the count started again. */
  since: { at: number; done: number };
  printedAt: number;
  printed: string;
}

const BAR_WIDTH = 24;

/**
 * One progress line per account, for `outpost sync` and the demo: messages
 * done of the total with a bar, the rate and the time left, then calendars
 * when they are followed. On a terminal the lines are redrawn in place; in a
 * pipe or a log each account's line is printed when it starts, at most every
 * `plainEveryMs` while it changes, and once when it ends.
 */
export class ProgressBoard {
  readonly #out: ProgressOutput;
  readonly #now: () => number;
  readonly #plainEveryMs: number;
  readonly #rows = new Map<string, Row>();
  readonly #startedAt: number;
  #drawnLines = 0;

  constructor(out: ProgressOutput, options: { now?: () => number; plainEveryMs?: number } = {}) {
    this.#out = out;
    this.#now = options.now ?? Date.now;
    this.#plainEveryMs = options.plainEveryMs ?? 2_000;
    this.#startedAt = this.#now();
  }

  /** Adds (or relabels) an account's line, in the order accounts are added. */
  add(key: string, label: string): void {
    const row = this.#rows.get(key);
    if (row) row.label = label;
    else
      this.#rows.set(key, {
        label,
        progress: {},
        since: { at: this.#startedAt, done: 0 },
        printedAt: Number.NEGATIVE_INFINITY,
        printed: '',
      });
  }

  has(key: string): boolean {
    return this.#rows.has(key);
  }

  update(key: string, change: AccountProgress): void {
    if (!this.#rows.has(key)) this.add(key, key);
    const row = this.#rows.get(key) as Row;
    const before = row.progress.messages?.done ?? 0;
    if (change.messages && change.messages.done < before) row.since = { at: this.#now(), done: 0 };
    row.progress = {
      ...row.progress,
      ...change,
      calendars: change.calendars ? { ...row.progress.calendars, ...change.calendars } : row.progress.calendars,
    };
    this.#show(row, change.outcome !== undefined);
  }

  /** The account's line as it reads now. */
  line(key: string): string {
    const row = this.#rows.get(key);
    return row ? this.#format(row) : '';
  }

  /** Leaves the lines as they are, the cursor below them. */
  close(): void {
    if (this.#out.isTTY) this.#drawnLines = 0;
  }

  #show(row: Row, final: boolean): void {
    if (this.#out.isTTY) {
      this.#redraw();
      return;
    }
    const line = this.#format(row);
    const now = this.#now();
    if (line === row.printed) return;
    if (!final && row.printed !== '' && now - row.printedAt < this.#plainEveryMs) return;
    row.printed = line;
    row.printedAt = now;
    this.#out.write(`${line}\n`);
  }

  #redraw(): void {
    let text = this.#drawnLines > 0 ? `\x1b[${this.#drawnLines}A` : '';
    for (const row of this.#rows.values()) text += `\r\x1b[2K${this.#format(row)}\n`;
    this.#drawnLines = this.#rows.size;
    this.#out.write(text);
  }

  #format(row: Row): string {
    const { messages, calendars, outcome } = row.progress;
    const parts: string[] = [row.label];
    if (messages) parts.push(this.#messagesPart(row, messages));
    if (calendars) {
      const total = calendars.total === null ? '' : `/${calendars.total}`;
      const events = calendars.events === undefined ? '' : `, ${calendars.events} events`;
      parts.push(`calendars ${calendars.done}${total}${events}`);
    }
    if (outcome) parts.push(outcome);
    return parts.join('  ');
  }

  #messagesPart(row: Row, messages: { done: number; total: number | null }): string {
    const { done, total } = messages;
    const fraction = total ? Math.min(1, done / total) : null;
    const bar = fraction === null ? '' : `[${'#'.repeat(Math.round(fraction * BAR_WIDTH)).padEnd(BAR_WIDTH, '.')}] `;
    let text = `${bar}${done}${total === null ? '' : `/${total}`} messages`;
    const elapsedS = (this.#now() - row.since.at) / 1000;
    const rate = elapsedS > 0 ? (done - row.since.done) / elapsedS : 0;
    if (rate > 0) {
      text += `  ${rate >= 10 ? Math.round(rate) : rate.toFixed(1)} msg/s`;
      if (total !== null && done < total && !row.progress.outcome) text += `  ${duration((total - done) / rate)} left`;
    }
    return text;
  }
}

/** 75 → "1:15", 3700 → "1:01:40". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}
