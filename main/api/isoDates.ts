import { DateTime } from 'luxon';
import { OutpostError } from '../core/outpostError.ts';

/**
 * An ISO 8601 date or date-time from a request, as epoch milliseconds: the
 * basic and extended forms (`20261201`, `2026-12-01T09:00+01`,
 * `2026-12-01T09:00:00.5z`, week and ordinal dates), read by luxon's ISO 8601
 * parser; without an offset, UTC. Anything else, or a date that does not exist
 * (`2026-02-30`, hour 25), is 400 validation_error naming the field.
 */
export function parseIsoInstant(value: string, field: string): number {
  const parsed = DateTime.fromISO(value, { zone: 'utc' });
  if (!parsed.isValid)
    throw new OutpostError(
      'validation_error',
      `${field} must be an ISO 8601 date or date-time (${parsed.invalidExplanation ?? parsed.invalidReason})`,
      { field },
    );
  return parsed.toMillis();
}
