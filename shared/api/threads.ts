import { type Static, Type } from 'typebox';
import { EmailAddressSchema, PageQuery } from './common.ts';

export const ThreadSummarySchema = Type.Object({
  id: Type.String({ description: 'thr_<n>' }),
  account_id: Type.String(),
  provider_thread_id: Type.String(),
  subject: Type.String(),
  snippet: Type.String(),
  last_message_at: Type.String({ format: 'date-time' }),
  message_count: Type.Integer(),
  unread_count: Type.Integer(),
  has_attachments: Type.Boolean(),
  is_starred: Type.Boolean({ description: 'Any message starred (Gmail) or flagged (Outlook)' }),
  participants: Type.Array(EmailAddressSchema),
  recipients: Type.Array(EmailAddressSchema, {
    description:
      "Whom the account's own messages in the conversation went to (To, then Cc; each once, at most 10): what Sent and Drafts show",
  }),
  label_ids: Type.Array(Type.String()),
});
export type ThreadSummary = Static<typeof ThreadSummarySchema>;

export const AttachmentSchema = Type.Object({
  id: Type.String({ description: 'att_<n>' }),
  filename: Type.String(),
  mime_type: Type.String(),
  size_bytes: Type.Integer(),
  content_id: Type.Union([Type.String(), Type.Null()]),
  is_inline: Type.Boolean(),
  content_available: Type.Boolean({ description: 'Whether the bytes are stored locally (under the size cap)' }),
});

export const MessageSchema = Type.Object({
  id: Type.String({ description: 'msg_<n>' }),
  thread_id: Type.String(),
  account_id: Type.String(),
  provider_message_id: Type.String(),
  rfc822_message_id: Type.Union([Type.String(), Type.Null()]),
  subject: Type.String(),
  from: Type.Union([EmailAddressSchema, Type.Null()]),
  to: Type.Array(EmailAddressSchema),
  cc: Type.Array(EmailAddressSchema),
  bcc: Type.Array(EmailAddressSchema),
  reply_to: Type.Array(EmailAddressSchema),
  date: Type.String({ format: 'date-time' }),
  snippet: Type.String(),
  body_text: Type.String(),
  body_html: Type.Union([Type.String(), Type.Null()], { description: 'As received: sanitize before rendering' }),
  is_unread: Type.Boolean(),
  is_starred: Type.Boolean(),
  label_ids: Type.Array(Type.String()),
  attachments: Type.Array(AttachmentSchema),
  contact_id: Type.Union([Type.String(), Type.Null()], {
    description: 'The contact a send linked it to (POST /v1/email/send contact_id)',
  }),
  deal_id: Type.Union([Type.String(), Type.Null()], {
    description: 'The deal a send linked it to (POST /v1/email/send deal_id)',
  }),
});
export type Message = Static<typeof MessageSchema>;

export const ThreadSchema = Type.Object({
  ...ThreadSummarySchema.properties,
  messages: Type.Array(MessageSchema),
});
export type Thread = Static<typeof ThreadSchema>;

/** How many threads GET /v1/email/threads?ids= looks up at once. */
export const MAX_THREAD_IDS = 100;

export const ListThreadsQuery = Type.Object({
  label: Type.Optional(
    Type.String({
      maxLength: 100,
      description:
        'A label id (lbl_<n>) or a role: inbox (default), sent, drafts, trash, spam, starred, important, archive. "all" with account_id lists all mail of that account.',
    }),
  ),
  account_id: Type.Optional(Type.String({ maxLength: 100 })),
  ...PageQuery,
  ids: Type.Optional(
    Type.String({
      maxLength: 4000,
      description: `Instead of a label: these threads (up to ${MAX_THREAD_IDS} ids, comma-separated, e.g. thr_1,thr_2), in the order asked; unknown ids are left out. Not with label, account_id or cursor.`,
    }),
  ),
  contact_id: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: "Instead of a label: the threads holding mail linked to this contact (a contact's timeline), newest first",
    }),
  ),
  deal_id: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Instead of a label: the threads holding mail linked to this deal',
    }),
  ),
});
export type ListThreadsQuery = Static<typeof ListThreadsQuery>;

/** GET /v1/email/messages: the messages linked to a contact or a deal (their mail timeline), newest first. */
export const ListMessagesQuery = Type.Object(
  {
    contact_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    deal_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type ListMessagesQuery = Static<typeof ListMessagesQuery>;

export const ThreadListResponse = Type.Object(
  {
    data: Type.Array(ThreadSummarySchema),
    next_cursor: Type.Union([Type.String(), Type.Null()]),
  },
  { description: 'A page of threads, newest first; next_cursor for the next page (null at the end)' },
);
export type ThreadListResponse = Static<typeof ThreadListResponse>;

export const ThreadResponse = Type.Object(
  { data: ThreadSchema },
  { description: 'The thread with all its messages, oldest first' },
);

/** GET /api/threads (the services document's "next steps"): serviceId = a connected account's id. */
export const ServiceThreadsQuery = Type.Object(
  {
    serviceId: Type.Optional(Type.String({ maxLength: 200 })),
    label: Type.Optional(
      Type.String({ maxLength: 200, description: 'a role (inbox, sent, ...), a label id, or "all" with serviceId' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);
export const ServiceThreadsResponse = Type.Object(
  {
    threads: Type.Array(ThreadSummarySchema),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  },
  { description: 'A page of threads, newest first; nextCursor for the next page (null at the end)' },
);
export const MessageResponse = Type.Object({ data: MessageSchema }, { description: 'The message' });
export const MessageListResponse = Type.Object(
  {
    data: Type.Array(MessageSchema),
    next_cursor: Type.Union([Type.String(), Type.Null()]),
  },
  { description: 'A page of messages, newest first; next_cursor for the next page (null at the end)' },
);
export type ThreadResponse = Static<typeof ThreadResponse>;

export const LabelSchema = Type.Object({
  id: Type.String(),
  account_id: Type.String(),
  name: Type.String(),
  kind: Type.String({ description: 'system, user, folder or category' }),
  role: Type.Union([Type.String(), Type.Null()], {
    description: 'inbox, sent, drafts, trash, spam, starred, important, archive',
  }),
  thread_count: Type.Integer(),
  unread_thread_count: Type.Integer(),
  parent_id: Type.Union([Type.String(), Type.Null()], {
    description: 'The folder it is inside (Outlook; lbl_...), null at the top. Gmail nests by "/" in names instead',
  }),
});
export type Label = Static<typeof LabelSchema>;

export const LabelListResponse = Type.Object(
  { data: Type.Array(LabelSchema) },
  { description: 'Labels, folders and categories, with thread and unread counts' },
);
export type LabelListResponse = Static<typeof LabelListResponse>;

export const LabelResponse = Type.Object({ data: LabelSchema }, { description: 'The label or folder' });
export type LabelResponse = Static<typeof LabelResponse>;

export const LabelCreateBody = Type.Object(
  {
    account_id: Type.String({ maxLength: 100 }),
    name: Type.String({ minLength: 1, maxLength: 225, description: 'The name (Gmail: "a/b" nests under a)' }),
    parent_id: Type.Optional(
      Type.String({ maxLength: 40, description: 'Made inside this label or folder of the same account (lbl_...)' }),
    ),
  },
  { additionalProperties: false },
);
export type LabelCreateBody = Static<typeof LabelCreateBody>;

export const LabelUpdateBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 225, description: 'The new name (Gmail: "a/b" moves it under a)' }) },
  { additionalProperties: false },
);
export type LabelUpdateBody = Static<typeof LabelUpdateBody>;

export const ThreadActionBody = Type.Object({
  action: Type.Union(
    [
      Type.Literal('archive'),
      Type.Literal('move_to_inbox'),
      Type.Literal('mark_read'),
      Type.Literal('mark_unread'),
      Type.Literal('star'),
      Type.Literal('unstar'),
      Type.Literal('trash'),
      Type.Literal('spam'),
      Type.Literal('not_spam'),
      Type.Literal('add_label'),
      Type.Literal('remove_label'),
      Type.Literal('move_to'),
    ],
    { description: 'Applied to the local index at once and queued for the provider' },
  ),
  label_id: Type.Optional(
    Type.String({
      maxLength: 40,
      description:
        "add_label, remove_label, move_to: a label of the thread's account (lbl_...). Gmail: your labels (move_to also takes the inbox, and takes the thread out of it otherwise); Outlook: categories to add or remove, folders to move to",
    }),
  ),
});
export type ThreadActionBody = Static<typeof ThreadActionBody>;

export const BulkThreadActionBody = Type.Object(
  {
    thread_ids: Type.Array(Type.String({ maxLength: 40 }), { minItems: 1, maxItems: 1000 }),
    action: ThreadActionBody.properties.action,
    label_id: ThreadActionBody.properties.label_id,
  },
  { additionalProperties: false },
);
export type BulkThreadActionBody = Static<typeof BulkThreadActionBody>;

export const BulkThreadActionResponse = Type.Object(
  {
    data: Type.Object({
      updated: Type.Array(Type.String(), { description: 'the threads changed (thr_...)' }),
      failed: Type.Array(Type.Object({ id: Type.String(), code: Type.String(), message: Type.String() }), {
        description: 'the threads that could not take the action, and why; the others were changed',
      }),
    }),
  },
  { description: 'Which threads were updated, and which failed with why' },
);
export type BulkThreadActionResponse = Static<typeof BulkThreadActionResponse>;

/** A list view as the UI shows it: a label's (or role's) conversations, or a search's; one account's or every account's. */
export const ThreadViewSchema = Type.Object(
  {
    label: Type.Optional(
      Type.String({
        maxLength: 100,
        description:
          'As GET /v1/email/threads label: a role (inbox, sent, starred, ...), a label id (lbl_...), or "all" with account_id',
      }),
    ),
    query: Type.Optional(
      Type.String({ minLength: 1, maxLength: 1000, description: 'Instead of a label: a search (GET /v1/email/search q)' }),
    ),
    prefix: Type.Optional(
      Type.Boolean({ description: 'With query: its last word matches as typed (the UI searches so)', default: false }),
    ),
    account_id: Type.Optional(Type.String({ maxLength: 100, description: "That account's conversations only" })),
  },
  { additionalProperties: false, description: 'Exactly one of label and query' },
);
export type ThreadView = Static<typeof ThreadViewSchema>;

export const ViewThreadActionBody = Type.Object(
  {
    view: ThreadViewSchema,
    action: ThreadActionBody.properties.action,
    label_id: ThreadActionBody.properties.label_id,
  },
  { additionalProperties: false },
);
export type ViewThreadActionBody = Static<typeof ViewThreadActionBody>;

export const ViewThreadActionResponse = Type.Object(
  {
    data: Type.Object({
      matched: Type.Integer({ description: 'How many conversations the view held when the action started' }),
      updated_count: Type.Integer({ description: 'How many of them took the action' }),
      updated: Type.Array(Type.String(), { description: 'the threads changed (thr_...): what an undo acts on' }),
      failed: Type.Array(Type.Object({ id: Type.String(), code: Type.String(), message: Type.String() }), {
        description: 'the threads that could not take the action, and why (at most 100 listed)',
      }),
      failed_count: Type.Integer(),
    }),
  },
  { description: 'How many conversations of the view were changed, which, and which failed with why' },
);
export type ViewThreadActionResponse = Static<typeof ViewThreadActionResponse>;
