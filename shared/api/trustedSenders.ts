import { type Static, Type } from 'typebox';

export const TrustedSenderParams = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 320, pattern: '^[^\\s@<>"]+@[^\\s@<>"]+$' }),
});
export const TrustedSenderListResponse = Type.Object(
  {
    data: Type.Array(Type.Object({ email: Type.String(), created_at: Type.String() })),
  },
  { description: 'The senders whose remote images are shown' },
);
export type TrustedSenderListResponseBody = Static<typeof TrustedSenderListResponse>;
