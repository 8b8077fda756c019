import type { EventWriteOutcome } from './accountProvider.ts';

/**
 * Whether the provider's copy of an event changed since the version an edit was made on (its etag or
 * changeKey differs), and if so which change is the later one: the provider's (its last-modified time after
 * the edit was made here) or the edit. A provider that does not say when its copy changed keeps it: an edit
 * never replaces a change it cannot be shown to be later than. Null when nothing changed meanwhile, or the
 * edit knew no version.
 */
export function eventWriteConflict(
  edit: { baseEtag: string | null; madeAt: number },
  current: { etag: string | null | undefined; updated: string | null | undefined },
): EventWriteOutcome['conflict'] {
  if (!edit.baseEtag || !current.etag || current.etag === edit.baseEtag) return null;
  const providerUpdatedAt = current.updated ? Date.parse(current.updated) : null;
  const kept =
    providerUpdatedAt === null || Number.isNaN(providerUpdatedAt) || providerUpdatedAt > edit.madeAt ? 'provider' : 'local';
  return { kept, providerUpdatedAt };
}
