import { type Static, Type } from 'typebox';
import { EmailAddressSchema } from './common.ts';
import { ThreadSummarySchema } from './threads.ts';

export const SearchQuerySchema = Type.Object({
  q: Type.String({
    maxLength: 1000,
    description:
      'Gmail-style query: words, "phrases", from: to: cc: bcc: (me: your own address) subject: label: in: (in:anywhere) has:attachment is:unread|read|starred|important before:/after:YYYY/MM/DD older_than:/newer_than:7d larger:/smaller:10M category: (Gmail tabs; focused|other: Outlook Focused Inbox) rfc822msgid: list: (List-Id or List-Post address, or a domain) deliveredto: filename:, -negation, OR, ( ) and { } groups, a AROUND 3 b. Spam and Trash only when named.',
  }),
  account_id: Type.Optional(Type.String({ maxLength: 100 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
  cursor: Type.Optional(Type.String({ maxLength: 100 })),
  prefix: Type.Optional(
    Type.Boolean({ description: 'Match the last word as typed, as the start of words (search as you type)', default: false }),
  ),
  group: Type.Optional(
    Type.Union([Type.Literal('threads'), Type.Literal('messages')], {
      description: 'threads: one row per conversation, at its newest match (default); messages: one row per message',
      default: 'threads',
    }),
  ),
  sort: Type.Optional(
    Type.Union([Type.Literal('date'), Type.Literal('relevance')], {
      description: 'date: newest first (default, as Gmail); relevance: bm25 over the 10,000 best matches',
      default: 'date',
    }),
  ),
});
export type SearchQueryParams = Static<typeof SearchQuerySchema>;

export const HighlightSegment = Type.Object({ text: Type.String(), match: Type.Boolean() });

export const SearchHitSchema = Type.Object({
  message_id: Type.String(),
  thread_id: Type.String(),
  account_id: Type.String(),
  subject: Type.String(),
  from: Type.Union([EmailAddressSchema, Type.Null()]),
  date: Type.String({ format: 'date-time' }),
  snippet: Type.String(),
  is_unread: Type.Boolean(),
  is_starred: Type.Boolean(),
  has_attachments: Type.Boolean(),
  matching_messages: Type.Integer({ description: "How many of the row's conversation's messages match (1 with group=messages)" }),
  score: Type.Union([Type.Number(), Type.Null()], {
    description: 'bm25 relevance (lower is better) with sort=relevance; null otherwise',
  }),
  highlight: Type.Array(HighlightSegment, { description: 'The best-matching passage, split into plain and matched text' }),
  subject_highlight: Type.Array(HighlightSegment, { description: "The subject, the query's words marked" }),
  highlight_source: Type.Optional(
    Type.Union(
      [
        Type.Literal('body'),
        Type.Literal('other_parts'),
        Type.Literal('attachment_name'),
        Type.Literal('subject'),
        Type.Literal('from'),
        Type.Literal('recipients'),
      ],
      {
        description:
          "Which text highlight is cut from: the body, the message's other readable parts (its HTML version when that says more, bounce reports), an attachment's name, the subject, the sender or the recipients. Absent when highlight is the snippet (nothing marked)",
      },
    ),
  ),
});
export type SearchHit = Static<typeof SearchHitSchema>;

/** A search response's row: the hit with its conversation as the mailbox list gives it (GET /v1/email/threads). */
export const SearchRowSchema = Type.Object({
  ...SearchHitSchema.properties,
  thread: ThreadSummarySchema,
});
export type SearchRow = Static<typeof SearchRowSchema>;

export const SearchResponse = Type.Object(
  {
    data: Type.Array(SearchRowSchema),
    next_cursor: Type.Union([Type.String(), Type.Null()]),
    total: Type.Integer({ description: 'Matching conversations (group=threads) or messages' }),
    total_estimated: Type.Boolean({
      description:
        'total is an estimate (the words match more than 5,000 messages, or the query has none and the index holds more), as Gmail’s resultSizeEstimate',
    }),
  },
  {
    description:
      'Matching conversations (or messages), newest first unless sort=relevance, with highlighted fragments; next_cursor for the next page (null after the last result)',
  },
);
export type SearchResponse = Static<typeof SearchResponse>;
