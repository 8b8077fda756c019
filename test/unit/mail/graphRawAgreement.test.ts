import { describe, expect, it } from 'vitest';
import type { BlobStore } from '../../../main/db/blobStore.ts';
import { decodeText } from '../../../main/mail/charsetDecoding.ts';
import { parseRfc822 } from '../../../main/mail/parseRfc822.ts';
import { toMessageInput } from '../../../main/mail/toMessageInput.ts';
import { type GraphMessage, graphMessageInput } from '../../../main/providers/graph/graphMessages.ts';
import { loadCorpus } from '../../emulator/kit/corpus.ts';
import { stripEnvelope } from '../../emulator/microsoft/headers.ts';
import { Mailbox } from '../../emulator/microsoft/mailbox.ts';
import { messageJson } from '../../emulator/microsoft/messageView.ts';

const blobs = { put: () => 'sha' } as unknown as BlobStore;
const words = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('the Graph path and the raw path read a message alike', () => {
  it('gives every corpus message the subject of its Outlook copy, except where that copy is itself mangled', async () => {
    const mailbox = new Mailbox('bob@contoso.test', 'Bob Kelly');
    const inbox = mailbox.folder('inbox');
    if (!inbox) throw new Error('the emulated mailbox has no inbox');
    let agree = 0;
    const outlookMangled: string[] = [];
    const disagree: string[] = [];
    for (const message of loadCorpus()) {
      const raw = stripEnvelope(message.raw);
      const stored = mailbox.addMessage(raw, inbox.id, { key: message.key });
      // The Graph path: Outlook's JSON (already decoded text) as the Graph sync reads it.
      const graph = graphMessageInput((await messageJson(stored, 'immutable', ['subject'])) as unknown as GraphMessage, [], [], {
        blobs,
        attachmentSizeCap: 0,
      });
      // The raw path: the same message's MIME as the Gmail sync and import-mbox read it.
      const facts = { remoteId: stored.id, threadRemoteId: stored.id, receivedAt: null, labelIds: [], sizeBytes: 0 };
      const flags = { isUnread: false, isStarred: false, isImportant: false, isDraft: false };
      const fromRaw = toMessageInput(await parseRfc822(raw), { ...facts, ...flags }, { blobs, attachmentSizeCap: 0 });
      const [outlook, ours] = [words(graph.subject), words(fromRaw.subject)];
      if (outlook === ours) agree++;
      else if (isMangledCopy(outlook, ours, raw)) outlookMangled.push(message.key);
      else disagree.push(`${message.key}: ${JSON.stringify(outlook)} / ${JSON.stringify(ours)}`);
    }
    expect(disagree).toEqual([]);
    expect(agree).toBeGreaterThan(6000);
    expect(outlookMangled.length).toBeLessThan(20);
  }, 300_000);
});

/**
 * The emulated Outlook reads raw 8-bit header bytes as latin-1 and leaves
 * encoded words it cannot decode with U+FFFD; where it did, the raw path's
 * reading must be the message's declared charset applied to those same bytes.
 */
function isMangledCopy(outlook: string, ours: string, raw: Buffer): boolean {
  if (ours.includes('\ufffd')) return false;
  if (outlook.includes('\ufffd')) return true;
  const declared = /charset\s*=\s*"?([^\s";]+)/i.exec(raw.toString('latin1'))?.[1];
  return declared !== undefined && words(decodeText(Buffer.from(outlook, 'latin1'), [declared])) === ours;
}
