import { randomUUID } from 'node:crypto';
import { baseSubject, type HeaderSummary, summarize } from './headers.ts';
import { graphId, type IdKind, restIdOf } from './ids.ts';

export interface Folder {
  id: string;
  displayName: string;
  wellKnownName?: string;
  parentFolderId: string;
}

export interface StoredMessage {
  /** The immutable id (Prefer: IdType="ImmutableId"): the item's for its life in the mailbox. */
  id: string;
  /** The default (REST) id: new each time the message moves to another folder. */
  restId: string;
  /** The RFC 822 message's bytes (not text: an 8-bit body is in its own charset). */
  raw: Buffer;
  summary: HeaderSummary;
  conversationId: string;
  parentFolderId: string;
  receivedDateTime: number;
  isRead: boolean;
  isDraft: boolean;
  flagStatus: 'notFlagged' | 'flagged' | 'complete';
  categories: string[];
  /** Focused Inbox's verdict (inferenceClassification); another client's "Move to Other" changes it. */
  inferenceClassification: 'focused' | 'other';
  /** Mailbox change sequence of this message's last change (drives delta). */
  seq: number;
}

/** A message that left a folder: delta answers it as @removed. */
export interface Tombstone {
  id: string;
  /** The default id the message had in that folder. */
  restId: string;
  folderId: string;
  seq: number;
  reason: 'changed' | 'deleted';
}

export const WELL_KNOWN = [
  ['inbox', 'Inbox'],
  ['sentitems', 'Sent Items'],
  ['drafts', 'Drafts'],
  ['deleteditems', 'Deleted Items'],
  ['junkemail', 'Junk Email'],
  ['archive', 'Archive'],
] as const;

/** One Microsoft 365 user's mailbox. Every change bumps seq so delta rounds see exactly the changes. */
export class Mailbox {
  readonly userId: string;
  readonly upn: string;
  readonly displayName: string;
  readonly rootId: string;
  folders = new Map<string, Folder>();
  /** By immutable id. */
  messages = new Map<string, StoredMessage>();
  /** By current default id (an old one, from before a move, names nothing). */
  private byRestId = new Map<string, StoredMessage>();
  tombstones: Tombstone[] = [];
  seq = 1;
  /** Delta tokens minted before this seq answer 410 (control route "invalidate delta tokens"). */
  minValidSeq = 0;
  private convByMessageId = new Map<string, string>();
  private convBySubject = new Map<string, string>();

  constructor(upn: string, displayName: string) {
    this.upn = upn;
    this.displayName = displayName;
    this.userId = graphGuid(upn);
    this.rootId = graphId('folder', `${upn}/root`);
    for (const [wk, name] of WELL_KNOWN) this.addFolder(name, wk);
  }

  addFolder(displayName: string, wellKnownName?: string, parentFolderId = this.rootId): Folder {
    const f: Folder = { id: graphId('folder', `${this.upn}/${displayName}`), displayName, wellKnownName, parentFolderId };
    this.folders.set(f.id, f);
    return f;
  }

  folder(idOrWellKnown: string): Folder | undefined {
    const lower = idOrWellKnown.toLowerCase();
    for (const f of this.folders.values()) if (f.wellKnownName === lower) return f;
    return this.folders.get(idOrWellKnown);
  }

  /** conversationId: thread root by References/In-Reply-To, else by normalized subject. */
  conversationFor(s: HeaderSummary): string {
    for (const ref of [...s.references, s.inReplyTo ?? '']) {
      const c = ref && this.convByMessageId.get(ref);
      if (c) return c;
    }
    const subj = baseSubject(s.subject);
    const bySubj = subj && s.references.length + (s.inReplyTo ? 1 : 0) > 0 ? this.convBySubject.get(subj) : undefined;
    return bySubj ?? graphId('conv', `${this.upn}/${s.messageId || randomUUID()}`).slice(0, 60);
  }

  /** `raw` as bytes, or as text (stored as UTF-8). */
  addMessage(input: Buffer | string, folderId: string, opts: Partial<StoredMessage> & { key?: string } = {}): StoredMessage {
    const raw = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
    // A caller resampling the same text passes its summary so N copies share one object.
    const summary = opts.summary ?? summarize(raw);
    const conversationId = opts.conversationId ?? this.conversationFor(summary);
    if (summary.messageId) this.convByMessageId.set(summary.messageId, conversationId);
    const subj = baseSubject(summary.subject);
    if (subj && !this.convBySubject.has(subj)) this.convBySubject.set(subj, conversationId);
    const id = opts.id ?? graphId('msg', `${this.upn}/${opts.key ?? randomUUID()}`);
    const m: StoredMessage = {
      id,
      restId: restIdOf(id, this.seq),
      raw,
      summary,
      conversationId,
      parentFolderId: folderId,
      receivedDateTime: opts.receivedDateTime ?? summary.date ?? Date.now(),
      isRead: opts.isRead ?? false,
      isDraft: opts.isDraft ?? false,
      flagStatus: opts.flagStatus ?? 'notFlagged',
      categories: opts.categories ?? [],
      // Exchange sorts mailing-list mail into Other, the rest into Focused (until the user moves it).
      inferenceClassification: opts.inferenceClassification ?? (summary.fromList ? 'other' : 'focused'),
      seq: this.seq++,
    };
    this.messages.set(m.id, m);
    this.byRestId.set(m.restId, m);
    return m;
  }

  /** The message an id of that kind names now; `any` (the control API) takes either kind. */
  find(id: string, kind: IdKind | 'any'): StoredMessage | undefined {
    if (kind === 'immutable') return this.messages.get(id);
    if (kind === 'rest') return this.byRestId.get(id);
    return this.messages.get(id) ?? this.byRestId.get(id);
  }

  touch(m: StoredMessage): void {
    m.seq = this.seq++;
  }

  move(m: StoredMessage, folderId: string): void {
    if (m.parentFolderId === folderId) return;
    this.tombstones.push({ id: m.id, restId: m.restId, folderId: m.parentFolderId, seq: this.seq++, reason: 'changed' });
    // As Exchange: in another folder the item has another default id; the old one names nothing.
    this.byRestId.delete(m.restId);
    m.restId = restIdOf(m.id, this.seq);
    this.byRestId.set(m.restId, m);
    m.parentFolderId = folderId;
    this.touch(m);
  }

  remove(m: StoredMessage): void {
    this.messages.delete(m.id);
    this.byRestId.delete(m.restId);
    this.tombstones.push({ id: m.id, restId: m.restId, folderId: m.parentFolderId, seq: this.seq++, reason: 'deleted' });
  }

  inFolder(folderId: string): StoredMessage[] {
    const out: StoredMessage[] = [];
    for (const m of this.messages.values()) if (m.parentFolderId === folderId) out.push(m);
    return out;
  }
}

/** Stable GUID-shaped id for a user (Graph user ids and oid claims are GUIDs). */
export function graphGuid(key: string): string {
  const hex = Buffer.from(graphId('guid', key).slice(4), 'base64url').toString('hex').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
