import type { ReadableDb } from '../../main/db/handles.ts';
import { parseSearchQuery } from '../../main/search/parseSearchQuery.ts';
import { searchMessages } from '../../main/search/searchMessages.ts';

/** A message from the dev@lists.outpost.test mailing list (List-Id and List-Post), with these Delivered-To headers. */
export function listMessageRaw(options: { deliveredTo: string[]; listId: string; subject: string; body: string }): string {
  return [
    ...options.deliveredTo.map((address) => `Delivered-To: ${address}`),
    `List-Id: ${options.listId}`,
    'List-Post: <mailto:dev@lists.outpost.test>',
    'From: Ann <ann@outpost.test>',
    'To: dev@lists.outpost.test',
    `Subject: ${options.subject}`,
    `Message-ID: <list-${Date.now()}-${Math.random().toString(36).slice(2)}@outpost.test>`,
    `Date: ${new Date().toUTCString()}`,
    '',
    options.body,
    '',
  ].join('\r\n');
}

/** The subjects an account's search finds, Spam and Trash included. */
export function subjectsFound(db: ReadableDb, accountId: string, q: string): string[] {
  return searchMessages(db, parseSearchQuery(`${q} in:anywhere`), { limit: 1_000, offset: 0, accountId }).map((r) => r.subject);
}
