import { describe, expect, it } from 'vitest';
import { rateLimitsFromEnv } from '../../../main/api/rateLimits.ts';

describe('rate limit overrides from the environment', () => {
  it('reads positive whole numbers and names the variable of a bad one', () => {
    expect(rateLimitsFromEnv({ OUTPOST_SYNC_PER_HOUR: '20', OUTPOST_API_REQUESTS_PER_MINUTE: '' })).toEqual({ syncPerHour: 20 });
    expect(() => rateLimitsFromEnv({ OUTPOST_SEND_PER_DAY: '1e3x' })).toThrow(/OUTPOST_SEND_PER_DAY/);
    expect(() => rateLimitsFromEnv({ OUTPOST_SEND_PER_SECOND: '0' })).toThrow(/positive/);
  });

  it("reads each sync cap and the UI's Sync now gap", () => {
    expect(
      rateLimitsFromEnv({
        OUTPOST_SERVICE_SYNC_PER_HOUR: '30',
        OUTPOST_GMAIL_CONNECTION_SYNC_PER_HOUR: '24',
        OUTPOST_UI_SYNC_GAP_SECONDS: '5',
      }),
    ).toEqual({ serviceSyncPerHour: 30, connectionSyncPerHour: 24, uiSyncGapSeconds: 5 });
    expect(() => rateLimitsFromEnv({ OUTPOST_UI_SYNC_GAP_SECONDS: 'soon' })).toThrow(/OUTPOST_UI_SYNC_GAP_SECONDS/);
  });
});
