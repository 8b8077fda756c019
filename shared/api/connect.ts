import { type Static, Type } from 'typebox';

export const ConnectAccountBody = Type.Object(
  { provider: Type.Union([Type.Literal('google'), Type.Literal('microsoft')]) },
  { additionalProperties: false },
);

export const ConnectAccountResponse = Type.Object(
  {
    data: Type.Object({
      authorization_url: Type.String({
        description:
          "The provider's consent page; open it in a browser. The account appears (account.updated event) when the user allows.",
      }),
    }),
  },
  { description: 'The provider’s consent page, where the user allows the connection' },
);
export type ConnectAccountResponseBody = Static<typeof ConnectAccountResponse>;
