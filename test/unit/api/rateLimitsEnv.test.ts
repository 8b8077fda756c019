import { describe, expect, it } from 'vitest';
import { rateLimitsFromEnv } from '../../../main/api/rateLimits.ts';

describe('rate limit overrides from the environment', () => {
  it('reads positive whole numbers and names the variable of a bad one', () => {
    expect(rateLimitsFromEnv({ OUTPOST_SYNC_PER_HOUR: '20', OUTPOST_API_REQUESTS_PER_MINUTE: '' })).toEqual({ syncPerHour: 20 });
    expect(() => rateLimitsFromEnv({ OUTPOST_SEND_PER_DAY: '1e3x' })).toThrow(/OUTPOST_SEND_PER_DAY/);
    expect(() => rateLimitsFromEnv({ OUTPOST_SEND_PER_SECOND: '0' })).toThrow(/positive/);
  });
});
