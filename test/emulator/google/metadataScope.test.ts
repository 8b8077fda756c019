import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../index.ts';
import { control, start } from './harness.ts';

const METADATA = 'https://www.googleapis.com/auth/gmail.metadata';
const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';

/**
 * A token granted gmail.metadata sees headers and labels only, and Gmail says so as
 * 403 forbidden, not as a missing scope: "Metadata scope doesn't allow format FULL"
 * for messages.get / threads.get in full or raw, "Metadata scope does not support 'q'
 * parameter" for list queries. Public reports (laravel-gmail#90, bytechef#5394,
 * google-api-python-client#582, googleworkspace/cli#104) show both, also when the
 * token carries a broader read scope alongside metadata.
 */
describe('Gmail with the gmail.metadata scope', () => {
  let emu: RunningEmulator;
  let messageId = '';
  let threadId = '';
  beforeAll(async () => {
    emu = await start({ seed: { kind: 'empty' } });
    const added = await control(emu, 'POST', '/google/users/alice@gmail.test/messages', {
      raw: 'From: a@example.com\r\nSubject: only headers\r\n\r\nbody\r\n',
      labelIds: ['INBOX'],
    });
    messageId = added.id;
    threadId = added.threadId;
  });
  afterAll(async () => emu?.stop());

  const as = async (scopes: string[], path: string) => {
    const { access_token } = await control(emu, 'POST', '/google/tokens', { email: 'alice@gmail.test', scopes });
    const res = await fetch(`${emu.baseUrl}/gmail/v1/users/me/${path}`, { headers: { authorization: `Bearer ${access_token}` } });
    return { status: res.status, body: (await res.json()) as { error?: { message: string; errors: Array<{ reason: string }> } } };
  };

  for (const scopes of [[METADATA], [METADATA, READONLY]]) {
    const label = scopes.length === 1 ? 'metadata alone' : 'metadata with readonly';
    it(`${label}: full and raw bodies are refused as forbidden; metadata and minimal are served`, async () => {
      for (const [path, format] of [
        [`messages/${messageId}`, 'FULL'],
        [`messages/${messageId}?format=raw`, 'RAW'],
        [`threads/${threadId}`, 'FULL'],
        [`threads/${threadId}?format=full`, 'FULL'],
      ] as const) {
        const answer = await as(scopes, path);
        expect(answer.status, path).toBe(403);
        expect(answer.body.error?.message).toBe(`Metadata scope doesn't allow format ${format}`);
        expect(answer.body.error?.errors[0]?.reason).toBe('forbidden');
      }
      expect((await as(scopes, `messages/${messageId}?format=metadata`)).status).toBe(200);
      expect((await as(scopes, `threads/${threadId}?format=minimal`)).status).toBe(200);
    });

    it(`${label}: a list query (q) is refused; a list without one is served`, async () => {
      for (const path of ['messages?q=headers', 'threads?q=headers']) {
        const answer = await as(scopes, path);
        expect(answer.status, path).toBe(403);
        expect(answer.body.error?.message).toBe("Metadata scope does not support 'q' parameter");
      }
      expect((await as(scopes, 'messages')).status).toBe(200);
      expect((await as(scopes, 'threads')).status).toBe(200);
    });
  }

  it('without the metadata scope, readonly reads every format and queries', async () => {
    expect((await as([READONLY], `messages/${messageId}?format=raw`)).status).toBe(200);
    expect((await as([READONLY], `threads/${threadId}`)).status).toBe(200);
    expect((await as([READONLY], 'messages?q=headers')).status).toBe(200);
  });
});
