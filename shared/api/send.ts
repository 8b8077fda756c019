import { type Static, Type } from 'typebox';

const Address = Type.String({
  minLength: 3,
  maxLength: 998,
  description: 'RFC 5322 address, e.g. "Jane Doe <jane@example.com>"',
});

export const SendAttachment = Type.Object(
  {
    filename: Type.String({ minLength: 1, maxLength: 255 }),
    mime_type: Type.Optional(
      Type.String({ maxLength: 255, pattern: '^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$' }),
    ),
    content_base64: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9+/\\r\\n]*={0,2}$' })),
    storage_path: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
    content_id: Type.Optional(
      Type.String({
        pattern: "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.@-]{1,200}$",
        description: 'Outpost extension: sends the attachment inline, for body_html to show as <img src="cid:CONTENT_ID">',
      }),
    ),
  },
  { additionalProperties: false },
);

export const EmailSendBody = Type.Object(
  {
    to: Type.Union([Address, Type.Array(Address, { minItems: 1, maxItems: 500 })]),
    subject: Type.String({ maxLength: 998 }),
    body_html: Type.Optional(Type.String()),
    body_text: Type.Optional(Type.String()),
    cc: Type.Optional(Type.Array(Address, { maxItems: 500 })),
    bcc: Type.Optional(Type.Array(Address, { maxItems: 500 })),
    reply_to: Type.Optional(Address),
    in_reply_to: Type.Optional(
      Type.String({
        pattern: '^msg_[0-9]+$',
        description:
          "Outpost extension, with thread_id: the message of that thread answered (In-Reply-To). Default: the thread's newest",
      }),
    ),
    from: Type.Optional(
      Type.String({
        minLength: 3,
        maxLength: 320,
        description:
          "Outpost extension: the connected account to send from, by address. Default: a reply's own account, else the first connected one",
      }),
    ),
    send_delay_seconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 60,
        description:
          'Outpost extension: hold the message in the outbox this long before sending (status "queued"), so DELETE /v1/email/outbox/{id} can still take it back ("undo send"). Default 0: send now',
      }),
    ),
    contact_id: Type.Optional(Type.String({ format: 'uuid' })),
    deal_id: Type.Optional(Type.String({ format: 'uuid' })),
    draft_id: Type.Optional(
      Type.String({
        format: 'uuid',
        description: 'The saved compose draft this sends: it leaves Drafts (here and at the provider) as the message is queued',
      }),
    ),
    thread_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    attachments: Type.Optional(Type.Array(SendAttachment, { maxItems: 100 })),
  },
  { additionalProperties: false },
);

const NullableString = (description: string) => Type.Union([Type.String(), Type.Null()], { description });

const SendFailure = Type.Object(
  {
    code: Type.String({ description: 'provider_error, network_error or send_cancelled' }),
    message: Type.String(),
    provider_status: Type.Union([Type.Integer(), Type.Null()], { description: "The provider's HTTP status, when it answered" }),
  },
  { description: 'Why a send failed for good (status "failed")' },
);

/** A send as it stands: what POST /v1/email/send answers, and what a replay of its Idempotency-Key answers now. */
export const EmailSendResult = Type.Object({
  id: Type.String({ description: 'The send (out_…); GET /v1/email/messages/{id} reads it back' }),
  thread_id: NullableString(
    'The thread (thr_…) the sent message is in; null until the provider has taken it (Outpost extension: status "queued")',
  ),
  provider: Type.String({ description: 'gmail or microsoft' }),
  status: Type.String({
    description: 'sent; queued (to be sent: offline, a provider outage, send_delay_seconds); sending; failed',
  }),
  sent_at: NullableString('When the provider took it; null until then'),
  provider_message_id: Type.Optional(NullableString("The provider's id of the sent message, once sent")),
  provider_thread_id: Type.Optional(NullableString("The provider's id of its thread, once sent")),
  contact_id: Type.Optional(NullableString('The contact the send was linked to')),
  deal_id: Type.Optional(NullableString('The deal the send was linked to')),
  error: Type.Optional(SendFailure),
});
export type EmailSendResultBody = Static<typeof EmailSendResult>;

export const EmailSendResponse = Type.Object(
  { data: EmailSendResult },
  { description: 'The send: sent, or queued (an Outpost extension: thread_id and sent_at are null until it goes out)' },
);

/**
 * POST /api/threads/send (the services document's "next steps"; it gives no schema, so this is
 * Outpost's): a reply into one of the index's threads, in the services API's camelCase.
 */
export const ServiceThreadSendBody = Type.Object(
  {
    threadId: Type.String({ pattern: '^thr_[0-9]+$', description: 'The thread answered (thr_<n>)' }),
    bodyText: Type.Optional(Type.String()),
    bodyHtml: Type.Optional(Type.String()),
    to: Type.Optional(
      Type.Array(Address, {
        minItems: 1,
        maxItems: 500,
        description: "Default: the Reply-To (else the sender) of the message answered, when it is not the account's own",
      }),
    ),
    cc: Type.Optional(Type.Array(Address, { maxItems: 500 })),
    bcc: Type.Optional(Type.Array(Address, { maxItems: 500 })),
    inReplyTo: Type.Optional(
      Type.String({ pattern: '^msg_[0-9]+$', description: "The message of the thread answered; default: the thread's newest" }),
    ),
    attachments: Type.Optional(Type.Array(SendAttachment, { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type ServiceThreadSendBodyType = Static<typeof ServiceThreadSendBody>;

export const ServiceThreadSendResponse = Type.Object(
  {
    ok: Type.Literal(true),
    id: Type.String({ description: 'The send (out_…), as POST /v1/email/send returns it' }),
    threadId: Type.Union([Type.String(), Type.Null()], { description: 'The thread (thr_…), once sent' }),
    status: Type.String({ description: 'sent, queued or sending; failed (on a replay of its Idempotency-Key) with error' }),
    sentAt: Type.Union([Type.String(), Type.Null()]),
    error: Type.Optional(SendFailure),
  },
  { description: 'The reply: sent, or queued until it can go out' },
);

export type EmailSendRequestBody = Static<typeof EmailSendBody>;
export type EmailSendResponseBody = Static<typeof EmailSendResponse>;
