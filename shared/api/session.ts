import { type Static, Type } from 'typebox';

export const UiSessionResponse = Type.Object(
  {
    data: Type.Object({
      admin: Type.Boolean({
        description: 'Whether the session may do everything (the UI of `outpost serve` and the desktop app)',
      }),
      expires_at: Type.String({ format: 'date-time' }),
    }),
  },
  {
    description:
      'The session the request presented, now also in the `authjs.session-token` cookie (HttpOnly, SameSite=Strict, path /) for this loopback origin',
  },
);
export type UiSessionResponse = Static<typeof UiSessionResponse>;
