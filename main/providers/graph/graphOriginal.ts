import type { GraphClient } from './graphClient.ts';

/**
 * A message's MIME source (`GET /me/messages/{id}/$value`, "Get MIME content of a message"), asked
 * for once, when Show original or Download .eml first wants it, rather than for every message during
 * sync: that would be one more request per message (20,000 more for a 20,000-message mailbox, about
 * 20 times a full sync's requests) against Exchange's 10,000 per 10 minutes per mailbox, for sources
 * few people ever open. One retry at most: someone is waiting for the answer.
 */
export function graphOriginal(client: GraphClient, remoteId: string): Promise<Buffer> {
  return client.bytes(`/me/messages/${encodeURIComponent(remoteId)}/$value`, { maxAttempts: 2 });
}
