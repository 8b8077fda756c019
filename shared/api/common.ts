import { Type } from 'typebox';

/** Every error the API returns: one shape, stable codes (the catalogue in shared/errors.ts). */
export const ApiErrorBody = Type.Object(
  {
    code: Type.String({ description: 'Stable machine-readable error code, e.g. validation_error' }),
    message: Type.String(),
    request_id: Type.String(),
    field: Type.Optional(Type.String({ description: 'The request field a validation error is about' })),
    details: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: "More to act on, e.g. a provider's refusal: provider_status and provider_message",
      }),
    ),
  },
  { $id: 'ApiError' },
);

export const EmailAddressSchema = Type.Object({ name: Type.String(), email: Type.String() });

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'next_cursor of the previous page' })),
};
