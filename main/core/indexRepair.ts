import { existsSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BlobStore } from '../db/blobStore.ts';
import { checkIndexFile } from '../db/integrity.ts';
import { openIndex } from '../db/openIndex.ts';
import { ensureAccount, listAccounts } from '../db/queries/accounts.ts';
import { blobRowIds, labelIdsOfAccount } from '../db/queries/blobInventory.ts';
import { writeMessages } from '../db/queries/messageWrites.ts';
import { restoreKeptTables, type SalvagedMessage, salvageIndex } from '../db/salvage.ts';
import { transaction } from '../db/transactions.ts';
import { DEFAULT_LOCAL_ACCOUNT, importRawMessages } from '../mail/importRawMessages.ts';
import { parseRfc822 } from '../mail/parseRfc822.ts';
import { findThreadByReferences } from '../mail/threading.ts';
import { toMessageInput } from '../mail/toMessageInput.ts';
import { describeProvider } from '../providers/descriptions.ts';
import { JobQueue } from '../sync/jobQueue.ts';
import { acquireDataDirLock } from './dataDirLock.ts';
import { EventBus } from './eventBus.ts';
import { moveDamageNote, readDamageNote } from './indexCondition.ts';
import { type Log, silentLog } from './log.ts';
import { OutpostError } from './outpostError.ts';
import { blobsDir, indexPath } from './paths.ts';

export interface RepairResult {
  /** Where the damaged index went (with its -wal and -shm): never deleted. */
  movedTo: string;
  /** Rows kept from the damaged file, per table (accounts, credentials, labels, api_keys, ...). */
  kept: Record<string, number>;
  /** Messages rebuilt from their raw bytes with the facts the damaged index still had (account, labels, flags). */
  rebuilt: number;
  /** Raw messages whose facts were lost: imported into the local account's "Recovered" label. */
  recovered: number;
  /** Full syncs queued (mail and calendars per connected account): what raw bytes cannot give back comes from the providers. */
  resyncs: number;
  /** What could not be read from the damaged file, in SQLite's words. */
  unreadable: string[];
}

const ATTACHMENT_SIZE_CAP = 25 * 1024 * 1024;
const RECOVERED_LABEL = { remoteId: 'OUTPOST_RECOVERED', name: 'Recovered' };

/**
 * `outpost repair`: holding the data directory's lock, moves a damaged index
 * aside (`index.sqlite.damaged-<time>` with its -wal and -shm; never
 * deleted), builds a new one, keeps what the damaged file still gives
 * (accounts, sealed credentials, labels, API keys, webhooks, trusted
 * senders, the outbox and Idempotency-Keys), rebuilds every message whose raw bytes are kept under blobs/
 * (with its account, thread, flags and labels when the damaged file still
 * has them, else into the local account's "Recovered" label), and queues a
 * full sync of mail and calendars for every connected account. An index
 * that is not damaged is left alone (null).
 */
export async function repairIndex(dataDir: string, options: { log?: Log } = {}): Promise<RepairResult | null> {
  const log = options.log ?? silentLog;
  const lock = acquireDataDirLock(dataDir, null, 'outpost repair');
  try {
    const index = indexPath(dataDir);
    if (!existsSync(index)) throw new OutpostError('index_missing', `there is no index in ${dataDir} to repair`);
    if (!readDamageNote(dataDir) && statSync(index).size > 0 && checkIndexFile(index).ok) return null;
    const movedTo = `${index}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    for (const suffix of ['', '-wal', '-shm', '-journal'])
      if (existsSync(index + suffix)) renameSync(index + suffix, movedTo + suffix);
    moveDamageNote(dataDir, movedTo);
    log.warn({ movedTo }, 'repair: the damaged index was moved aside');
    const salvage = salvageIndex(movedTo);
    const db = openIndex(index, { log });
    try {
      const blobs = new BlobStore(db, blobsDir(dataDir));
      // Outbox rows name their raw message by its blob row: registered again from the file first.
      for (const row of salvage.tables.outbox ?? []) {
        const sha = row.raw_sha256;
        if (typeof sha === 'string' && /^[0-9a-f]{64}$/.test(sha) && existsSync(blobs.pathOf(sha))) blobs.put(blobs.read(sha));
      }
      const kept = restoreKeptTables(db, salvage);
      const rebuilt = await rebuildMessages(db, blobs, salvage.messages);
      const recovered = await recoverUnclaimed(db, blobs);
      const jobs = new JobQueue(db, new EventBus(log));
      let resyncs = 0;
      for (const account of listAccounts(db)) {
        if (!describeProvider(account.provider).capabilities.sync) continue;
        for (const kind of ['email_sync', 'calendar_sync'] as const) {
          jobs.enqueue({ kind, mode: 'full', accountIds: [account.id], params: {} });
          resyncs++;
        }
      }
      const result = { movedTo, kept, rebuilt, recovered, resyncs, unreadable: salvage.unreadable };
      log.info(result, 'repair: a new index was built');
      return result;
    } finally {
      db.close();
    }
  } finally {
    lock.release();
  }
}

const BATCH = 200;

async function rebuildMessages(
  db: ReturnType<typeof openIndex>,
  blobs: BlobStore,
  messages: readonly SalvagedMessage[],
): Promise<number> {
  const accounts = new Set(listAccounts(db).map((a) => a.id));
  const labels = new Map<string, Set<number>>();
  const labelsOf = (accountId: string) => {
    const known = labels.get(accountId) ?? labelIdsOfAccount(db, accountId);
    labels.set(accountId, known);
    return known;
  };
  let rebuilt = 0;
  for (let start = 0; start < messages.length; start += BATCH) {
    const parsed: Array<{ message: SalvagedMessage; raw: Buffer; mail: Awaited<ReturnType<typeof parseRfc822>> }> = [];
    for (const message of messages.slice(start, start + BATCH)) {
      if (!accounts.has(message.accountId) || !/^[0-9a-f]{64}$/.test(message.rawSha256)) continue;
      if (!existsSync(blobs.pathOf(message.rawSha256))) continue;
      const raw = blobs.read(message.rawSha256);
      try {
        parsed.push({ message, raw, mail: await parseRfc822(raw) });
      } catch {
        // Bytes that no longer parse stay in blobs/; the provider's full sync brings the message back.
      }
    }
    transaction(db, () => {
      for (const { message, raw, mail } of parsed) {
        const references = [...mail.references, ...(mail.inReplyTo ? [mail.inReplyTo] : [])];
        const threadRemoteId =
          message.threadRemoteId ?? findThreadByReferences(db, message.accountId, references, mail.subject) ?? message.remoteId;
        const known = labelsOf(message.accountId);
        const input = toMessageInput(
          mail,
          {
            remoteId: message.remoteId,
            threadRemoteId,
            receivedAt: message.sentAt,
            labelIds: message.labelIds.filter((id) => known.has(id)),
            isUnread: message.isUnread,
            isStarred: message.isStarred,
            isImportant: message.isImportant,
            isDraft: message.isDraft,
            sizeBytes: raw.byteLength,
          },
          { blobs, attachmentSizeCap: ATTACHMENT_SIZE_CAP, raw },
        );
        writeMessages(db, message.accountId, [input]);
        rebuilt++;
      }
    });
  }
  return rebuilt;
}

/**
 * Stored files no rebuilt message claims (its row was on a lost page) that
 * are mail (an RFC 822 header block with From and a Date or Message-ID):
 * imported into the local account's "Recovered" label rather than lost.
 */
async function recoverUnclaimed(db: ReturnType<typeof openIndex>, blobs: BlobStore): Promise<number> {
  if (!existsSync(blobs.dir)) return 0;
  const claimed = blobRowIds(db);
  const unclaimed: Buffer[] = [];
  for (const folder of readdirSync(blobs.dir)) {
    if (!/^[0-9a-f]{2}$/.test(folder)) continue;
    for (const name of readdirSync(join(blobs.dir, folder))) {
      if (!/^[0-9a-f]{64}$/.test(name) || claimed.has(name)) continue;
      const bytes = readFileSync(join(blobs.dir, folder, name));
      if (looksLikeMail(bytes)) unclaimed.push(bytes);
    }
  }
  if (unclaimed.length === 0) return 0;
  const local = ensureAccount(db, 'local', DEFAULT_LOCAL_ACCOUNT);
  const result = await importRawMessages(db, blobs, local.id, unclaimed, {
    attachmentSizeCap: ATTACHMENT_SIZE_CAP,
    label: RECOVERED_LABEL,
  });
  return result.imported;
}

function looksLikeMail(bytes: Buffer): boolean {
  const end = bytes.indexOf('\r\n\r\n');
  const head = bytes.subarray(
    0,
    Math.min(end === -1 ? (bytes.indexOf('\n\n') === -1 ? 0 : bytes.indexOf('\n\n')) : end, 64 * 1024),
  );
  const text = head.toString('latin1');
  if (!/^[\x21-\x39\x3b-\x7e]+:/.test(text)) return false;
  return /^from:/im.test(text) && /^(date|message-id):/im.test(text);
}
