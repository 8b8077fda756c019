/** A message being written: what the compose window opens with (from mailto:, reply, forward) and edits. */
export interface ComposeDraft {
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  body: string;
  inReplyTo?: string;
}
