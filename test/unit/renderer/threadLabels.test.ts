import { describe, expect, it } from 'vitest';
import { chipLabels, inSpam } from '../../../renderer/src/threadLabels.ts';
import type { Label } from '../../../shared/api/threads.ts';

const label = (id: string, name: string, kind: string, account = 'gmail-1', role: string | null = null) =>
  ({ id, name, kind, account_id: account, role, thread_count: 0, unread_thread_count: 0 }) as Label;
const labels = [
  label('lbl_1', 'Inbox', 'system', 'gmail-1', 'inbox'),
  label('lbl_2', 'Work', 'user'),
  label('lbl_3', 'Forums', 'category'), // a Gmail inbox tab
  label('lbl_4', 'Travel', 'user'),
  label('lbl_5', 'Inbox', 'folder', 'outlook-1', 'inbox'),
  label('lbl_6', 'Projects', 'folder', 'outlook-1'),
  label('lbl_7', 'Red category', 'category', 'outlook-1'),
  label('lbl_8', 'Spam', 'system', 'gmail-1', 'spam'),
];

describe('chipLabels', () => {
  it("shows the user's labels, not system labels or Gmail's inbox tabs", () => {
    expect(chipLabels(labels, ['lbl_1', 'lbl_2', 'lbl_3', 'lbl_4'], 'inbox')).toEqual(['Work', 'Travel']);
  });

  it("shows Outlook's categories, not the folder the conversation is in", () => {
    expect(chipLabels(labels, ['lbl_5', 'lbl_6', 'lbl_7'], 'inbox')).toEqual(['Red category']);
  });

  it('leaves out the label being looked at', () => {
    expect(chipLabels(labels, ['lbl_2', 'lbl_4'], 'lbl_2')).toEqual(['Travel']);
  });
});

describe('inSpam', () => {
  it('is spam with the spam label and out of the inbox; a conversation still in the inbox is not', () => {
    expect(inSpam(labels, ['lbl_8'])).toBe(true);
    expect(inSpam(labels, ['lbl_8', 'lbl_1'])).toBe(false);
    expect(inSpam(labels, ['lbl_2'])).toBe(false);
  });
});
