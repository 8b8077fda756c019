import { type Static, Type } from 'typebox';
import { EmailAddressSchema } from './common.ts';

export const SearchQuerySchema = Type.Object({
  q: Type.String({
    maxLength: 1000,
    description:
      'Gmail-style query: words, "phrases", from: to: cc: bcc: subject: label: in: has:attachment is:unread|read|starred|important before:/after:YYYY/MM/DD older_than:/newer_than:7d filename:, -negation, OR',
  }),
  account_id: Type.Optional(Type.String({ maxLength: 100 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
  cursor: Type.Optional(Type.String({ maxLength: 100 })),
  prefix: Type.Optional(Type.Boolean({ description: 'Match the last word as a prefix (search as you type)', default: false })),
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
  score: Type.Union([Type.Number(), Type.Null()], {
    description: 'bm25 relevance (lower is better); null when the query has no words',
  }),
  highlight: Type.Array(HighlightSegment, { description: 'The best-matching passage, split into plain and matched text' }),
  subject_highlight: Type.Array(HighlightSegment, { description: "The subject, the query's words marked" }),
});
export type SearchHit = Static<typeof SearchHitSchema>;

export const SearchResponse = Type.Object(
  {
    data: Type.Array(SearchHitSchema),
    next_cursor: Type.Union([Type.String(), Type.Null()]),
  },
  { description: 'Matching messages, best first, with highlighted fragments; next_cursor for the next page (null at the end)' },
);
export type SearchResponse = Static<typeof SearchResponse>;
