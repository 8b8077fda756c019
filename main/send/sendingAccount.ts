import { OutpostError } from '../core/outpostError.ts';
import type { ReadableDb } from '../db/handles.ts';
import type { AccountRow } from '../db/queries/accounts.ts';
import { listAccounts } from '../db/queries/accounts.ts';
import { answeredMessage, threadRemote } from '../db/queries/messageLookups.ts';
import { describeProvider } from '../providers/descriptions.ts';

export class SendError extends OutpostError {
  declare readonly code: 'validation_error' | 'insufficient_permissions' | 'not_found';
  constructor(code: SendError['code'], message: string) {
    super(code, message);
  }
}

/** The named sender; else a reply goes from the account its thread is in; else the first connected account. */
export function sendingAccount(db: ReadableDb, from: string | undefined, threadPublicId: string | undefined): AccountRow {
  const accounts = listAccounts(db).filter((a) => describeProvider(a.provider).capabilities.send && a.status === 'active');
  if (accounts.length === 0) throw new SendError('insufficient_permissions', 'no connected email account to send from');
  if (!from) {
    const threadId = threadPublicId ? /^thr_(\d+)$/.exec(threadPublicId)?.[1] : undefined;
    const owner = threadId ? threadRemote(db, Number(threadId)) : undefined;
    return accounts.find((a) => a.id === owner?.accountId) ?? (accounts[0] as AccountRow);
  }
  const wanted = from.trim().toLowerCase();
  const account = accounts.find((a) => a.email === wanted);
  if (!account) throw new SendError('validation_error', `no connected account sends as ${from}`);
  return account;
}

/** A reply's headers and provider thread: the message answered is the one named, else the thread's newest. */
export function replyContext(
  db: ReadableDb,
  account: AccountRow,
  threadPublicId: string,
  messagePublicId: string | undefined,
): { providerThreadId: string; inReplyTo: string | undefined; references: string[] } {
  const threadId = /^thr_(\d+)$/.exec(threadPublicId)?.[1];
  const thread = threadId ? threadRemote(db, Number(threadId)) : undefined;
  if (!thread) throw new SendError('not_found', `no thread ${threadPublicId}`);
  if (thread.accountId !== account.id)
    throw new SendError('validation_error', `thread ${threadPublicId} belongs to another account`);
  // The message answered: the one named, else the thread's newest.
  const messageId = messagePublicId ? /^msg_(\d+)$/.exec(messagePublicId)?.[1] : undefined;
  if (messagePublicId && !messageId) throw new SendError('validation_error', `${messagePublicId} is not a message id`);
  const last = answeredMessage(db, Number(threadId), messageId ? Number(messageId) : undefined);
  if (messageId && !last) throw new SendError('validation_error', `${messagePublicId} is not a message of ${threadPublicId}`);
  const references = [...(last?.references ?? []), ...(last?.rfc822MessageId ? [last.rfc822MessageId] : [])];
  return { providerThreadId: thread.remoteId, inReplyTo: last?.rfc822MessageId ?? undefined, references };
}
