import type { Draft, PickedAttachment } from './composeDrafts.ts';

/**
 * Undo send: a message waits this long in the outbox before it goes, so it can
 * still be taken back (the send body's send_delay_seconds). A preference of
 * this device, kept in localStorage: 0 turns it off.
 */
const KEY = 'outpost.undoSendSeconds';
export const UNDO_SEND_CHOICES = [0, 5, 10, 20, 30] as const;
const DEFAULT_SECONDS = 5;

export function undoSendSeconds(): number {
  const stored = globalThis.localStorage?.getItem(KEY);
  const seconds = Number(stored);
  return stored !== null && stored !== undefined && (UNDO_SEND_CHOICES as readonly number[]).includes(seconds)
    ? seconds
    : DEFAULT_SECONDS;
}

export function setUndoSendSeconds(seconds: number): void {
  globalThis.localStorage?.setItem(KEY, String(seconds));
}

/** A message held in the outbox for undo: what reopens if it is taken back. */
export interface HeldMessage {
  /** The outbox row (out_...). */
  id: string;
  seconds: number;
  draft: Draft;
  attachments: Array<PickedAttachment & { key: string }>;
}
