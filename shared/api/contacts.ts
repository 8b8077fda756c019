import { type Static, Type } from 'typebox';

export const ContactQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 200, description: 'Start of a name, a word of a name, or an address' }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 25, default: 8 })),
});

export const ContactListResponse = Type.Object(
  {
    data: Type.Array(
      Type.Object({
        name: Type.String(),
        email: Type.String(),
        score: Type.Integer({ description: 'Among recent mail naming them: messages sent to them x3 + messages from them' }),
      }),
    ),
  },
  { description: 'People matching, best first' },
);
export type ContactListResponseBody = Static<typeof ContactListResponse>;
