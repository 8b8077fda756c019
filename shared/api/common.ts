import { Type } from 'typebox';
import { ERROR_CODES } from '../errors.ts';

/** Every error the API returns: one shape, stable codes (the catalogue in shared/errors.ts). */
export const ApiErrorBody = Type.Object(
  {
    code: Type.Enum(ERROR_CODES, { description: 'Stable machine-readable error code from the catalogue, e.g. validation_error' }),
    message: Type.String({ description: 'What went wrong, for people' }),
    request_id: Type.String({ pattern: '^req_[0-9a-f]{24}$', description: 'The X-Request-ID of this response' }),
    field: Type.Optional(Type.String({ description: 'The request field a validation error is about' })),
    details: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: "More to act on, e.g. a provider's refusal: provider_status and provider_message",
      }),
    ),
  },
  { $id: 'ApiError', description: 'Every error: a stable code, a message for people and the request id' },
);

/**
 * A response whose body is not JSON but bytes in a media type (a download, a
 * message file, an event stream): documented, never serialized (handlers send
 * a Buffer or take over the stream).
 */
export function bytesResponse(
  description: string,
  mediaType: string,
): { description: string; content: Record<string, { schema: object }> } {
  return { description, content: { [mediaType]: { schema: { type: 'string', format: 'binary' } } } };
}

export const EmailAddressSchema = Type.Object({ name: Type.String(), email: Type.String() });

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'next_cursor of the previous page' })),
};
