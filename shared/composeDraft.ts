/** A stored attachment a forward carries along (its bytes come through the API when compose opens). */
export interface ForwardedAttachment {
  id: string;
  filename: string;
  mime_type: string;
  size_bytes: number;
}

/** A message being written: what the compose window opens with (from mailto:, reply, forward, a saved draft) and edits. */
export interface ComposeDraft {
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  body: string;
  /** Replies: the message of the thread answered (msg_...), when not its newest. */
  inReplyTo?: string;
  /** Replies: the public thread id (thr_...) the message goes into. */
  threadId?: string;
  /** The connected account to send from, by address (new messages; a reply goes from its thread's account). */
  from?: string;
  /** A forward: the original's files. */
  forwardAttachments?: ForwardedAttachment[];
  /** A message reopened from the index: its id there (also its Idempotency-Key). */
  draftId?: string;
  /** A message reopened from the index: its rich-text HTML. */
  html?: string;
  /** A draft opened from Drafts (msg_...): its provider draft is the one saves update. */
  sourceMessageId?: string;
}

/**
 * A draft from untrusted JSON (a URL parameter, a message between the
 * desktop's processes): only the known fields, each of its type; null for
 * anything that is not an object.
 */
export function draftFromJson(value: unknown): ComposeDraft | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const draft = value as Record<string, unknown>;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const files = Array.isArray(draft.forwardAttachments)
    ? draft.forwardAttachments.filter(
        (a): a is ForwardedAttachment =>
          typeof a === 'object' &&
          a !== null &&
          typeof a.id === 'string' &&
          typeof a.filename === 'string' &&
          typeof a.mime_type === 'string' &&
          typeof a.size_bytes === 'number',
      )
    : [];
  const inReplyTo = text(draft.inReplyTo);
  const threadId = text(draft.threadId);
  const draftId = text(draft.draftId);
  const from = text(draft.from);
  const html = text(draft.html);
  const sourceMessageId = text(draft.sourceMessageId);
  return {
    to: strings(draft.to),
    cc: strings(draft.cc),
    bcc: strings(draft.bcc),
    subject: text(draft.subject) ?? '',
    body: text(draft.body) ?? '',
    ...(inReplyTo !== undefined ? { inReplyTo } : {}),
    ...(threadId !== undefined ? { threadId } : {}),
    ...(files.length > 0
      ? {
          forwardAttachments: files.map(({ id, filename, mime_type, size_bytes }) => ({ id, filename, mime_type, size_bytes })),
        }
      : {}),
    ...(draftId !== undefined ? { draftId } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(html !== undefined ? { html } : {}),
    ...(sourceMessageId !== undefined ? { sourceMessageId } : {}),
  };
}

/** The compose window's `?compose=` value: the draft as base64url JSON (UTF-8). */
export function decodeDraftParam(value: string): ComposeDraft | null {
  try {
    const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
    return draftFromJson(JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))));
  } catch {
    return null;
  }
}
