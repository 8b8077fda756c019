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
    thread_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    attachments: Type.Optional(Type.Array(SendAttachment, { maxItems: 100 })),
  },
  { additionalProperties: false },
);

export const EmailSendResponse = Type.Object({
  data: Type.Object({
    id: Type.String(),
    thread_id: Type.String(),
    provider: Type.String(),
    status: Type.String(),
    sent_at: Type.Union([Type.String(), Type.Null()]),
  }),
});

export type EmailSendRequestBody = Static<typeof EmailSendBody>;
export type EmailSendResponseBody = Static<typeof EmailSendResponse>;
