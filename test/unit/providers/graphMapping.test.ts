import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobStore } from '../../../main/db/blobStore.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { classifyGraphFailure, GraphHttpError } from '../../../main/providers/graph/graphClient.ts';
import { categoryLabel, folderLabel, graphMessageInput } from '../../../main/providers/graph/graphMessages.ts';
import { makeTempDir } from '../../support/tempDir.ts';

describe('Graph messages in the index model', () => {
  let db: IndexDb;
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    db = openIndex(':memory:');
    dir = makeTempDir();
  });
  afterEach(() => {
    db.close();
    dir.remove();
  });

  it('maps Focused/Other and the list and delivery headers, leaving stored lists alone when Graph sends no headers', () => {
    const storage = { blobs: new BlobStore(db, dir.path), attachmentSizeCap: 1024 };
    const listed = graphMessageInput(
      {
        id: 'AAMk2',
        inferenceClassification: 'Other',
        internetMessageHeaders: [
          { name: 'Delivered-To', value: 'bob@contoso.test' },
          { name: 'Delivered-To', value: 'bob+lists@contoso.test' },
          { name: 'List-Id', value: 'Dev list <dev.lists.contoso.test>' },
          { name: 'List-Post', value: '<mailto:dev@lists.contoso.test>' },
        ],
      },
      [],
      [],
      storage,
    );
    expect(listed).toMatchObject({
      inferenceClassification: 'other',
      mailingLists: ['dev.lists.contoso.test'],
      deliveredTo: ['bob@contoso.test', 'bob+lists@contoso.test'],
    });
    const sent = graphMessageInput({ id: 'AAMk3', inferenceClassification: 'sideways' }, [], [], storage);
    expect(sent.inferenceClassification).toBeNull();
    expect('mailingLists' in sent || 'deliveredTo' in sent).toBe(false);
  });

  it('maps a message: conversation = thread, flagged = starred, HTML body with derived text, attachments stored', () => {
    const input = graphMessageInput(
      {
        id: 'AAMk1',
        conversationId: 'conv-1',
        internetMessageId: '<abc@contoso.test>',
        subject: 'Quarterly review',
        bodyPreview: 'Hi team,   please see attached',
        body: { contentType: 'html', content: '<p>Hi team, <b>please</b> see attached</p>' },
        from: { emailAddress: { name: 'Bob', address: 'Bob@Contoso.test' } },
        toRecipients: [{ emailAddress: { name: 'Ann', address: 'ann@contoso.test' } }, { emailAddress: {} }],
        receivedDateTime: '2026-03-01T10:00:00Z',
        isRead: false,
        flag: { flagStatus: 'flagged' },
        importance: 'high',
        hasAttachments: true,
      },
      [7],
      [
        {
          id: 'att1',
          name: 'report.pdf',
          contentType: 'application/pdf',
          size: 4,
          isInline: false,
          contentBytes: Buffer.from('%PDF').toString('base64'),
        },
      ],
      { blobs: new BlobStore(db, dir.path), attachmentSizeCap: 1024 },
    );
    expect(input).toMatchObject({
      remoteId: 'AAMk1',
      threadRemoteId: 'conv-1',
      rfc822MessageId: 'abc@contoso.test',
      from: { name: 'Bob', email: 'bob@contoso.test' },
      to: [{ name: 'Ann', email: 'ann@contoso.test' }],
      sentAt: Date.UTC(2026, 2, 1, 10),
      snippet: 'Hi team, please see attached',
      isUnread: true,
      isStarred: true,
      isImportant: true,
      labelIds: [7],
    });
    expect(input.bodyText).toContain('Hi team, please see attached');
    expect(input.bodyHtml).toContain('<b>please</b>');
    expect(input.attachments[0]).toMatchObject({ filename: 'report.pdf', sizeBytes: 4, remoteId: 'att1' });
    expect(input.attachments[0]?.blobSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('maps well-known folders to roles and categories to category labels', () => {
    expect(folderLabel({ id: 'f1', displayName: 'Inbox', wellKnownName: 'inbox' })).toEqual({
      remoteId: 'f1',
      name: 'Inbox',
      kind: 'folder',
      role: 'inbox',
      parentRemoteId: null,
    });
    // Where it sits: the sidebar nests a folder under its parent.
    expect(folderLabel({ id: 'f4', displayName: 'Acme', parentFolderId: 'f3' }).parentRemoteId).toBe('f3');
    expect(folderLabel({ id: 'f2', displayName: 'Junk Email', wellKnownName: 'junkemail' }).role).toBe('spam');
    expect(folderLabel({ id: 'f3', displayName: 'Projects' }).role).toBeNull();
    expect(categoryLabel('Red category')).toEqual({
      remoteId: 'category:Red category',
      name: 'Red category',
      kind: 'category',
      role: null,
    });
  });
});

describe('Graph failure classification', () => {
  it('retries throttling and server errors with Retry-After, not client errors', () => {
    expect(classifyGraphFailure(new GraphHttpError(429, 'TooManyRequests', 'slow down', 3000))).toEqual({
      kind: 'retry',
      retryAfterMs: 3000,
      reason: '429 TooManyRequests: slow down',
    });
    expect(classifyGraphFailure(new GraphHttpError(503, 'ServiceUnavailable', '', undefined))).toMatchObject({ kind: 'retry' });
    expect(classifyGraphFailure(new GraphHttpError(404, 'ErrorItemNotFound', '', undefined))).toEqual({ kind: 'fatal' });
    expect(classifyGraphFailure(new GraphHttpError(410, 'SyncStateNotFound', '', undefined))).toEqual({ kind: 'fatal' });
    expect(classifyGraphFailure(new TypeError('fetch failed'))).toMatchObject({ kind: 'retry' });
  });
});
