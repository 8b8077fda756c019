import type { RunningEmulator } from '../emulator/index.ts';
import { emulatorControl } from './emulatorAccounts.ts';

/** New unread mail in a Gmail user's inbox at the emulator, as if it had just arrived (the next sync brings it). */
export async function deliverToGmailInbox(
  emulator: RunningEmulator,
  user: string,
  message: { from: string; subject: string; messageId: string },
): Promise<void> {
  const raw = [
    `From: ${message.from}`,
    `To: ${user}`,
    `Subject: ${message.subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${message.messageId}>`,
    '',
    'Hello.',
    '',
  ].join('\r\n');
  await emulatorControl(emulator)(`/google/users/${user}/messages`, {
    method: 'POST',
    body: { raw: Buffer.from(raw).toString('base64url'), encoding: 'base64url', labelIds: ['INBOX', 'UNREAD'] },
  });
}
