/** A message being written: what the compose window opens with (from mailto:, reply, forward) and edits. */
export interface ComposeDraft {
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  body: string;
  inReplyTo?: string;
  /** Replies: the public thread id (thr_...) the message goes into. */
  threadId?: string;
}

/** The compose window's `?compose=` value: the draft as base64url JSON (UTF-8). */
export function decodeDraftParam(value: string): ComposeDraft | null {
  try {
    const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
    const json = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    const draft = JSON.parse(json) as Partial<ComposeDraft>;
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    return {
      to: strings(draft.to),
      cc: strings(draft.cc),
      bcc: strings(draft.bcc),
      subject: typeof draft.subject === 'string' ? draft.subject : '',
      body: typeof draft.body === 'string' ? draft.body : '',
      ...(typeof draft.threadId === 'string' ? { threadId: draft.threadId } : {}),
    };
  } catch {
    return null;
  }
}
