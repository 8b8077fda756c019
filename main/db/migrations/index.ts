import type { Database } from 'better-sqlite3';
import type { Log } from '../../core/log.ts';
import { OutpostError } from '../../core/outpostError.ts';
import * as initial from './001_initial.ts';
import * as localApi from './002_local_api.ts';
import * as syncState from './003_sync_state.ts';
import * as outbox from './004_outbox.ts';
import * as pendingChanges from './005_pending_changes.ts';
import * as searchByDate from './006_search_by_date.ts';
import * as trustedSenders from './007_trusted_senders.ts';
import * as composeDrafts from './008_compose_drafts.ts';
import * as syncIntervals from './009_sync_intervals.ts';
import * as pendingByMessage from './010_pending_changes_by_message.ts';
import * as signatures from './011_signatures.ts';
import * as blobReferences from './012_blob_references.ts';
import * as typedPendingChanges from './013_typed_pending_changes.ts';
import * as starredByThread from './014_starred_by_thread.ts';
import * as sendRecords from './015_send_records.ts';
import * as blobRelease from './016_blob_release.ts';
import * as attachmentsPeopleSee from './017_attachments_people_see.ts';
import * as searchableText from './018_searchable_text.ts';
import * as eventEdits from './019_event_edits.ts';
import * as prefixSearch from './020_prefix_search.ts';
import * as listAndDelivery from './021_list_and_delivery.ts';
import * as providerDrafts from './022_provider_drafts.ts';
import * as prefixVocabulary from './023_prefix_vocabulary.ts';
import * as attachmentsBySearchKey from './024_attachments_by_search_key.ts';
import * as labelParents from './025_label_parents.ts';
import * as addressDomains from './026_address_domains.ts';
import * as calendarChoices from './027_calendar_choices.ts';

interface Migration {
  version: number;
  name: string;
  /** May return what it back-filled (row counts), logged with its duration. */
  up(db: Database): unknown;
}

/** Every schema version, in order. A new migration is a new numbered file added here. */
export const migrations: readonly Migration[] = [
  { version: 1, name: 'initial', up: initial.up },
  { version: 2, name: 'local_api', up: localApi.up },
  { version: 3, name: 'sync_state', up: syncState.up },
  { version: 4, name: 'outbox', up: outbox.up },
  { version: 5, name: 'pending_changes', up: pendingChanges.up },
  { version: 6, name: 'search_by_date', up: searchByDate.up },
  { version: 7, name: 'trusted_senders', up: trustedSenders.up },
  { version: 8, name: 'compose_drafts', up: composeDrafts.up },
  { version: 9, name: 'sync_intervals', up: syncIntervals.up },
  { version: 10, name: 'pending_changes_by_message', up: pendingByMessage.up },
  { version: 11, name: 'signatures', up: signatures.up },
  { version: 12, name: 'blob_references', up: blobReferences.up },
  { version: 13, name: 'typed_pending_changes', up: typedPendingChanges.up },
  { version: 14, name: 'starred_by_thread', up: starredByThread.up },
  { version: 15, name: 'send_records', up: sendRecords.up },
  { version: 16, name: 'blob_release', up: blobRelease.up },
  { version: 17, name: 'attachments_people_see', up: attachmentsPeopleSee.up },
  { version: 18, name: 'searchable_text', up: searchableText.up },
  { version: 19, name: 'event_edits', up: eventEdits.up },
  { version: 20, name: 'prefix_search', up: prefixSearch.up },
  { version: 21, name: 'list_and_delivery', up: listAndDelivery.up },
  { version: 22, name: 'provider_drafts', up: providerDrafts.up },
  { version: 23, name: 'prefix_vocabulary', up: prefixVocabulary.up },
  { version: 24, name: 'attachments_by_search_key', up: attachmentsBySearchKey.up },
  { version: 25, name: 'label_parents', up: labelParents.up },
  { version: 26, name: 'address_domains', up: addressDomains.up },
  { version: 27, name: 'calendar_choices', up: calendarChoices.up },
];

export const latestSchemaVersion = migrations.at(-1)?.version ?? 0;

export class SchemaTooNewError extends OutpostError {
  constructor(found: number) {
    super(
      'index_too_new',
      `the index was written by a newer Outpost (schema ${found}, this build knows ${latestSchemaVersion}); upgrade Outpost`,
    );
  }
}

/**
 * Brings the index to the latest schema. All pending migrations run in ONE
 * transaction that ends by setting user_version, so a crash leaves either the
 * old schema or the new one, never half of it.
 */
export function migrate(db: Database, log?: Log): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > latestSchemaVersion) throw new SchemaTooNewError(from);
  if (from === latestSchemaVersion) return { from, to: from };
  db.transaction(() => {
    for (const migration of migrations) {
      if (migration.version <= from) continue;
      const started = performance.now();
      const done = migration.up(db);
      const summary = typeof done === 'object' ? done : {};
      // Each step's duration and what it back-filled: an upgrade of a large index says where its time went.
      log?.info(
        { version: migration.version, name: migration.name, ms: Math.round(performance.now() - started), ...summary },
        'index migration applied',
      );
    }
    db.pragma(`user_version = ${latestSchemaVersion}`);
  })();
  db.pragma('optimize');
  return { from, to: latestSchemaVersion };
}
