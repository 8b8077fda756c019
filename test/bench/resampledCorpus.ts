// Mailboxes of any size resampled from the real corpus (parsed once, written
// with new ids and dates): the search and integrity-check benchmarks' index.
import type { MessageInput } from '../../main/db/queries/messageWrites.ts';
import { makeSnippet, type ParsedMessage, parseRfc822 } from '../../main/mail/parseRfc822.ts';
import { loadCorpus } from '../emulator/kit/corpus.ts';
import { messageInput } from '../support/indexFixtures.ts';

export function parsedCorpus(): Promise<ParsedMessage[]> {
  return Promise.all(loadCorpus().map((m) => parseRfc822(m.raw)));
}

/**
 * Message `n` of the mailbox: the corpus's message n mod its size, threads of
 * three, an hour apart from 2005, a quarter unread, every fiftieth also in
 * `other`; `extra` adds what one benchmark needs (attachments).
 */
export function resampledMessage(
  corpus: readonly ParsedMessage[],
  n: number,
  labels: { inbox: number; other: number },
  extra: (template: ParsedMessage) => Partial<MessageInput> = () => ({}),
): MessageInput {
  const template = corpus[n % corpus.length] as ParsedMessage;
  return messageInput({
    remoteId: `m${n}`,
    threadRemoteId: `t${Math.floor(n / 3)}`,
    subject: template.subject,
    from: template.from,
    to: template.to,
    bodyText: template.text.slice(0, 20_000),
    snippet: makeSnippet(template.text),
    sentAt: Date.UTC(2005, 0, 1) + n * 3_600_000,
    isUnread: n % 4 === 0,
    labelIds: n % 50 === 0 ? [labels.inbox, labels.other] : [labels.inbox],
    ...extra(template),
  });
}
