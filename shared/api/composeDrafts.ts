import { type Static, Type } from 'typebox';

const Addresses = Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 500 });

/** What the compose window has typed so far. */
export const ComposeDraftBody = Type.Object(
  {
    to: Addresses,
    cc: Addresses,
    bcc: Addresses,
    subject: Type.String({ maxLength: 2000 }),
    body_text: Type.String({ maxLength: 500_000 }),
    body_html: Type.Optional(Type.String({ maxLength: 500_000 })),
    thread_id: Type.Optional(Type.String({ maxLength: 200, description: 'thr_…: the thread a reply goes into' })),
    from: Type.Optional(
      Type.String({ maxLength: 320, description: "The sending account's address: the draft is kept in its Drafts" }),
    ),
    message_id: Type.Optional(
      Type.String({
        maxLength: 200,
        description: 'msg_…: a draft synced from the provider that this continues (its provider draft is updated)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ComposeDraftBodyType = Static<typeof ComposeDraftBody>;

export const ComposeDraftParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

// One object, not an intersection: ComposeDraftBody refuses properties it does not name, so allOf with it refused id.
const SavedDraft = Type.Object({
  id: Type.String(),
  updated_at: Type.String({ description: 'ISO 8601' }),
  ...ComposeDraftBody.properties,
});

export const ComposeDraftResponse = Type.Object({ data: SavedDraft }, { description: 'The saved message being written' });
export const ComposeDraftListResponse = Type.Object(
  { data: Type.Array(SavedDraft) },
  { description: 'The messages being written, newest first' },
);
export type ComposeDraftListResponseBody = Static<typeof ComposeDraftListResponse>;
