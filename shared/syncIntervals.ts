import type { JobKind } from './events.ts';

/** Minutes between automatic syncs of an account that kept the default (Settings can change it per account). */
export const DEFAULT_SYNC_MINUTES: Record<JobKind, number> = { email_sync: 5, calendar_sync: 15 };

/** The longest interval Settings and the API accept: once a day. 0 means only when asked. */
export const MAX_SYNC_MINUTES = 1440;
