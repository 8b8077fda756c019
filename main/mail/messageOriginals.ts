import { OutpostError } from '../core/outpostError.ts';
import type { BlobStore } from '../db/blobStore.ts';
import type { WritableDb } from '../db/handles.ts';
import { getAccount } from '../db/queries/accounts.ts';
import { keepOriginal, originalOfMessage } from '../db/queries/messageOriginals.ts';
import { transaction } from '../db/transactions.ts';
import { ProviderError } from '../providers/providerErrors.ts';
import type { ProviderRegistry } from '../providers/registry.ts';

/** A message as it came (RFC 822), for Show original, Download .eml and GET /v1/email/messages/{id}/raw. */
export interface MessageOriginals {
  read(messageId: number): Promise<Buffer>;
}

const NOT_KEPT = 'the original bytes of this message were not kept; GET the message for its parsed content';

/**
 * The kept raw message when there is one (Gmail's, imported mail's, one fetched before); otherwise
 * asked of the provider once (Outlook's `$value`) and kept in the blob store like Gmail's raw, the
 * same size policy (every original kept whole; only attachments are capped), so it is there offline
 * from then on. A draft's is fetched but not kept: it changes while it is written. Offline the
 * provider's network_error says so and nothing is kept; a message the provider no longer has, or
 * one with no provider, is raw_not_available.
 */
export function messageOriginals(deps: { db: WritableDb; blobs: BlobStore; providers: ProviderRegistry }): MessageOriginals {
  const { db, blobs, providers } = deps;
  return {
    async read(messageId) {
      const message = originalOfMessage(db, messageId);
      if (!message) throw new OutpostError('not_found', `no message msg_${messageId}`);
      if (message.raw_sha256) return blobs.read(message.raw_sha256);
      const account = getAccount(db, message.account_id);
      if (!account) throw new OutpostError('raw_not_available', NOT_KEPT);
      let bytes: Uint8Array | null;
      try {
        bytes = await providers.of(account).session(account).original(message.remote_id);
      } catch (error) {
        if (error instanceof ProviderError && error.status === 404)
          throw new OutpostError('raw_not_available', `${NOT_KEPT} (the provider no longer has it)`);
        throw error;
      }
      if (!bytes) throw new OutpostError('raw_not_available', NOT_KEPT);
      const raw = Buffer.from(bytes);
      if (!message.is_draft) {
        const sha256 = blobs.put(raw);
        transaction(db, () => keepOriginal(db, messageId, sha256));
      }
      return raw;
    },
  };
}
