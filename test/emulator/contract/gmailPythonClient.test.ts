/**
 * Fidelity check with a client Outpost does not use: Debian's google-api-python-client, built from
 * Gmail's discovery document (a copy of ../shared/reference/google/'s beside this test, so a clean
 * clone has it), drives the emulator over HTTPS and
 * decodes every `raw` with Python's strict base64.urlsafe_b64decode (see gmail_python_client.py).
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { control, GMAIL_MODIFY, signIn, start } from '../google/harness.ts';
import type { RunningEmulator } from '../index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const driver = join(here, 'gmail_python_client.py');
const discovery = join(here, 'gmail-v1-discovery.json');

/** The first python3 that imports googleapiclient and google_auth_httplib2 (Debian's sits in /usr/bin). */
function findPython(): string | undefined {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(candidate, ['-c', 'import googleapiclient, google_auth_httplib2'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

const python = findPython();
const missing = !python
  ? 'no python3 with googleapiclient and google_auth_httplib2 (apt-get install python3-googleapi)'
  : !existsSync(discovery)
    ? `no Gmail discovery document at ${discovery}`
    : '';
if (missing) console.warn(`gmailPythonClient.test.ts skipped: ${missing}`);

describe.skipIf(missing !== '')(
  `google-api-python-client against the Gmail emulator${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let emu: RunningEmulator;
    let token: string;
    beforeAll(async () => {
      emu = await start({ serviceOptions: { google: { quotaEnabled: false } } });
      token = (await signIn(emu, ['https://mail.google.com/', GMAIL_MODIFY])).credentials.access_token ?? '';
    });
    afterAll(() => emu.stop());

    /** Asynchronously: the emulator answers from this process's event loop. */
    const run = () =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
        const args = [driver, discovery, emu.baseUrl, emu.caCertPath, token, emu.controlUrl, 'alice@gmail.test'];
        execFile(python as string, args, { encoding: 'utf8', timeout: 300_000 }, (err, stdout, stderr) =>
          done({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
        );
      });

    it('completes a session with Gmail-padded raw: strict decoding, schemas, paging, batches of 100 and 101, history 404, drafts', async () => {
      const { total } = { total: (await control(emu, 'GET', '/snapshot')).google['alice@gmail.test'].messages.length };
      const res = await run();
      expect(res.stderr).not.toMatch(/Traceback|Error/);
      expect(res.status).toBe(0);
      const out = JSON.parse(res.stdout);
      expect(out.profile).toBe('alice@gmail.test');
      expect(out.messagesTotal).toBe(total);
      expect(out.labels).toBeGreaterThan(10);
      expect(out.pages).toBeGreaterThan(1);
      expect(out.listed).toBeGreaterThan(500);
      expect(Object.keys(out.formats).sort()).toEqual(['full', 'metadata', 'minimal', 'raw']);
      expect(out.formats.raw).toContain('raw');
      expect(out.formats.full).toContain('payload');
      expect(out.formats.minimal).not.toContain('payload');
      expect(out.batchAnswers).toBe(100);
      expect(out.batchErrors).toEqual([]);
      expect(out.decoded.raw).toBe(106); // 5 gets, the batch of 100 and the draft's raw
      expect(out.decoded.bodyData).toBeGreaterThan(0);
      expect(out.modifyKeys).toEqual(['id', 'labelIds', 'threadId']);
      expect(out.historyStarred).toBe(1);
      expect(out.expiredHistoryStatus).toBe(404);
      expect(out.unknownKeys).toEqual([]);
      expect(out.mistyped).toEqual([]);
      expect(out.batch101Status).toBe(400);
      // Drafts: create, list, get (full and strictly decoded raw), update (a new message), send (to SENT, the draft gone).
      expect(out.drafts).toEqual({
        createdLabels: ['DRAFT'],
        listed: true,
        subject: 'Python draft',
        rawHasBody: true,
        updateKeptId: true,
        updateNewMessage: true,
        updatedSubject: 'Python draft, revised',
        sentLabels: ['SENT'],
        sentHasNewId: true,
        listedAfterSend: false,
        getAfterSendStatus: 404,
      });
    });

    it('fails the way lieer did when raw is sent unpadded (the emulator before this fix)', async () => {
      await control(emu, 'POST', '/reset');
      token = (await signIn(emu, ['https://mail.google.com/', GMAIL_MODIFY])).credentials.access_token ?? '';
      await control(emu, 'POST', '/google/encoding', { rawPadding: false });
      const res = await run();
      expect(res.status).toBe(1);
      expect(res.stderr).toContain('Incorrect padding');
    });
  },
);
