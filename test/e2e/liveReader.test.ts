import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Browser } from 'playwright';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { chromiumMissingReason, launchChromium } from '../support/chromium.ts';
import { connectGoogleInto, emulatorControl, gmailSentMail, providerEnvFor } from '../support/emulatorAccounts.ts';
import { dateHeader, daysAgo } from '../support/mailDates.ts';
import { type RunningServe, startServe } from '../support/serveProcess.ts';
import { makeTempDir } from '../support/tempDir.ts';
import { SCREENSHOTS } from '../support/uiHarness.ts';

const USER = 'alice@gmail.test';

/** A real PNG (RGBA, width x height, one colour), so the browser decodes it. */
function png(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 4, Buffer.from([0x2e, 0x90, 0xfa, 0xff]))]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const chart = png(64, 48);
const notes = Buffer.from('Agenda\n1. Budget — 2027\n2. Hiring\n', 'utf8');
const report = Buffer.concat([Buffer.from('%PDF-1.4\n%\u00e2\u00e3\n', 'latin1'), Buffer.from([0, 1, 2, 253, 254, 255])]);

function part(filename: string, type: string, bytes: Buffer): string {
  return [
    `Content-Type: ${type}; name="${filename}"`,
    `Content-Disposition: attachment; filename="${filename}"`,
    'Content-Transfer-Encoding: base64',
    '',
    bytes.toString('base64').replace(/.{76}/g, '$&\r\n'),
  ].join('\r\n');
}

const RAW = [
  'From: Carol Finance <carol@example.test>',
  `To: ${USER}`,
  'Subject: Board pack with attachments',
  `Date: ${dateHeader(daysAgo(12, 9))}`,
  'Message-ID: <board-pack@example.test>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="pack"',
  '',
  '--pack',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'The board pack: chart, notes and the report.',
  '--pack',
  part('chart.png', 'image/png', chart),
  '--pack',
  part('notes.txt', 'text/plain', notes),
  '--pack',
  part('Q4 report.pdf', 'application/pdf', report),
  '--pack--',
  '',
].join('\r\n');

const logo = png(20, 10);
const INLINE_RAW = [
  'From: Dave Design <dave@example.test>',
  `To: ${USER}`,
  'Subject: New letterhead',
  `Date: ${dateHeader(daysAgo(12, 8))}`,
  'Message-ID: <letterhead@example.test>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/related; boundary="rel"',
  '',
  '--rel',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<p>The new logo: <img id="logo" src="cid:logo.20x10@example.test" alt="logo"></p>',
  '--rel',
  'Content-Type: image/png; name="logo.png"',
  'Content-Disposition: inline; filename="logo.png"',
  'Content-ID: <logo.20x10@example.test>',
  'Content-Transfer-Encoding: base64',
  '',
  logo.toString('base64'),
  '--rel--',
  '',
].join('\r\n');

describe.skipIf(chromiumMissingReason !== null)(
  `the UI stays live (event stream) and shows attachments${chromiumMissingReason ? ` — skipped: ${chromiumMissingReason}` : ''}`,
  () => {
    const dir = makeTempDir();
    let emulator: RunningEmulator;
    let serve: RunningServe;
    let browser: Browser;
    const control = (path: string, init?: { method?: string; body?: unknown }) => emulatorControl(emulator)(path, init);
    const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
      fetch(`${serve.baseUrl}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          authorization: `Bearer ${serve.sessionToken}`,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });

    /** Gmail's SENT mail, read straight from the emulator and parsed. */
    const sentMail = async () =>
      Promise.all(
        (await gmailSentMail(emulator, USER)).map(async (m) => ({
          id: m.id,
          parsed: await PostalMime.parse(m.raw, { attachmentEncoding: 'arraybuffer' }),
        })),
      );

    beforeAll(async () => {
      emulator = await startEmulator({
        autoConsent: true,
        seed: { kind: 'synthetic', count: 30 },
        serviceOptions: { google: { quotaEnabled: false } },
      });
      const dataDir = join(dir.path, 'data');
      await connectGoogleInto(dataDir, emulator, 'email_sync');
      serve = await startServe(dataDir, [], {
        ...providerEnvFor(emulator.baseUrl),
        OUTPOST_GMAIL_QUOTA_UNITS_PER_SECOND: '1000000',
        OUTPOST_SYNC_PER_HOUR: '100',
      });
      browser = await launchChromium();
    }, 90_000);
    afterAll(async () => {
      await browser?.close();
      await serve?.stop();
      await emulator?.stop();
      dir.remove();
    });

    it('shows new mail in the open inbox when a sync brings it, without a reload', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(serve.uiUrl);
      const rows = page.getByRole('option');
      await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(5);
      await expect.poll(() => rows.filter({ hasText: 'Board pack' }).count()).toBe(0);

      for (const raw of [INLINE_RAW, RAW])
        await control(`/google/users/${USER}/messages`, {
          method: 'POST',
          body: { raw: Buffer.from(raw).toString('base64url'), encoding: 'base64url', labelIds: ['INBOX', 'UNREAD'] },
        });
      // A script (or the scheduler) syncs; the page only listens.
      expect((await api('/v1/email/sync', { method: 'POST', body: {} })).status).toBe(200);
      await expect.poll(() => rows.filter({ hasText: 'Board pack' }).count(), { timeout: 15_000 }).toBe(1);
      await page.close();
    }, 60_000);

    it("lists a message's attachments with size and type, previews image and text inside the app, saves the PDF byte for byte", async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(serve.uiUrl);
      await page.getByRole('option').filter({ hasText: 'Board pack' }).first().click();
      const pane = page.getByRole('region', { name: 'Reading pane' });
      const list = pane.getByRole('list', { name: 'Attachments' });
      await expect.poll(() => list.getByRole('listitem').count(), { timeout: 10_000 }).toBe(3);
      expect(await pane.locator('.attachments-title').textContent()).toMatch(/^3 attachments · \d+ (B|KB)$/);
      const text = (await list.textContent()) ?? '';
      expect(text).toContain('chart.png');
      expect(text).toContain('PNG image');
      expect(text).toContain('Q4 report.pdf');
      expect(text).toContain('PDF');
      expect(text).toContain(`${notes.byteLength} B`);
      // The stored image shows as a thumbnail (decoded, so the bytes arrived intact).
      await expect
        .poll(
          () => list.locator('img.attachment-thumb').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
          {
            timeout: 10_000,
          },
        )
        .toBe(64);
      await page.screenshot({ path: join(SCREENSHOTS, 'reader-attachments.png') });

      await pane.getByRole('button', { name: 'Open chart.png' }).click();
      const preview = page.getByRole('dialog', { name: 'Attachment: chart.png' });
      await expect
        .poll(() =>
          preview
            .getByRole('img', { name: 'chart.png' })
            .evaluate((img) => (img as unknown as { naturalHeight: number }).naturalHeight),
        )
        .toBe(48);
      await page.screenshot({ path: join(SCREENSHOTS, 'attachment-preview.png') });
      await page.keyboard.press('Escape');
      await expect.poll(() => preview.count()).toBe(0);

      await pane.getByRole('button', { name: 'Open notes.txt' }).click();
      const textPreview = page.getByRole('dialog', { name: 'Attachment: notes.txt' });
      await expect.poll(() => textPreview.locator('pre').textContent()).toBe(notes.toString('utf8'));
      await textPreview.getByRole('button', { name: 'Close' }).click();

      const download = page.waitForEvent('download');
      await pane.getByRole('button', { name: 'Save Q4 report.pdf' }).click();
      const saved = await download;
      expect(saved.suggestedFilename()).toBe('Q4 report.pdf');
      const path = join(dir.path, 'report.pdf');
      await saved.saveAs(path);
      expect(readFileSync(path).equals(report)).toBe(true);
      await page.close();
    }, 60_000);

    it("shows an HTML message's inline (cid:) images, which are part of it, and lists no attachment for them", async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(serve.uiUrl);
      await page.getByRole('option').filter({ hasText: 'New letterhead' }).first().click();
      const pane = page.getByRole('region', { name: 'Reading pane' });
      const image = pane.frameLocator('iframe').locator('#logo');
      await expect
        .poll(() => image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), { timeout: 10_000 })
        .toBe(20);
      expect(await image.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
      expect(await pane.locator('.blocked-notice').count()).toBe(0);
      expect(await pane.getByRole('list', { name: 'Attachments' }).count()).toBe(0);
      await page.close();
    }, 60_000);

    it('forwards a message with its attachments to a recipient picked from the suggestions, byte for byte', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(serve.uiUrl);
      await page.getByRole('option').filter({ hasText: 'Board pack' }).first().click();
      const pane = page.getByRole('region', { name: 'Reading pane' });
      await expect.poll(() => pane.getByRole('list', { name: 'Attachments' }).count(), { timeout: 10_000 }).toBe(1);
      await page.locator('body').press('f');
      const form = page.getByRole('form', { name: 'New message' });
      expect(await form.getByLabel('Subject', { exact: true }).inputValue()).toBe('Fwd: Board pack with attachments');
      const files = form.getByRole('list', { name: /^Attachments/ });
      await expect.poll(() => files.getByRole('listitem').count(), { timeout: 10_000 }).toBe(3);

      const to = form.getByRole('combobox', { name: 'To' });
      await to.pressSequentially('caro');
      const suggestions = form.getByRole('listbox', { name: 'To suggestions' });
      await expect
        .poll(() => suggestions.getByRole('option').first().textContent(), { timeout: 10_000 })
        .toContain('Carol Finance');
      await page.screenshot({ path: join(SCREENSHOTS, 'compose-forward-suggestions.png') });
      await to.press('Enter');
      expect(await to.inputValue()).toBe('Carol Finance <carol@example.test>, ');
      expect(await form.count()).toBe(1); // Enter took the suggestion; it did not send
      await form.locator('textarea').press('Control+Home');
      await form.locator('textarea').pressSequentially('For the meeting.');
      await form.locator('textarea').press('Control+Enter');
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'Message sent.' }).count(), { timeout: 15_000 }).toBe(1);

      const forwarded = (await sentMail()).find((m) => m.parsed.subject === 'Fwd: Board pack with attachments');
      expect(forwarded?.parsed.to?.map((a) => ('address' in a ? a.address : ''))).toEqual(['carol@example.test']);
      expect(forwarded?.parsed.text).toContain('---------- Forwarded message ---------');
      const byName = new Map(forwarded?.parsed.attachments.map((a) => [a.filename, Buffer.from(a.content as ArrayBuffer)]) ?? []);
      expect([...byName.keys()].sort()).toEqual(['Q4 report.pdf', 'chart.png', 'notes.txt']);
      expect(byName.get('chart.png')?.equals(chart)).toBe(true);
      expect(byName.get('notes.txt')?.equals(notes)).toBe(true);
      expect(byName.get('Q4 report.pdf')?.equals(report)).toBe(true);
      await page.close();
    }, 60_000);

    it('sends a rich-text message as HTML with a plain-text alternative', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(serve.uiUrl);
      await expect.poll(() => page.getByRole('option').count(), { timeout: 15_000 }).toBeGreaterThan(5);
      await page.locator('body').press('c');
      const form = page.getByRole('form', { name: 'New message' });
      await form.getByRole('combobox', { name: 'To' }).fill('dave@example.test');
      await form.getByLabel('Subject', { exact: true }).fill('Formatting check');
      await form.getByRole('button', { name: 'Rich text' }).click();
      const editor = form.getByRole('textbox', { name: 'Message' });
      await editor.click();
      await editor.pressSequentially('Hello ');
      await editor.press('Control+b');
      await editor.pressSequentially('world');
      await editor.press('Control+b');
      await editor.press('Enter');
      await form.getByRole('button', { name: 'Bulleted list' }).click();
      await editor.pressSequentially('first point');
      await page.screenshot({ path: join(SCREENSHOTS, 'compose-rich-text.png') });
      await editor.press('Control+Enter');
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'Message sent.' }).count(), { timeout: 15_000 }).toBe(1);

      const sent = (await sentMail()).find((m) => m.parsed.subject === 'Formatting check');
      expect(sent?.parsed.html).toMatch(/Hello <b>world<\/b>/);
      expect(sent?.parsed.html).toMatch(/<ul><li>first point<\/li><\/ul>/);
      expect(sent?.parsed.text?.replace(/\s+/g, ' ').trim()).toBe('Hello world first point');
      await page.close();
    }, 60_000);

    it('keeps an unsent message in the index as it is typed, reopens it after a reload, and forgets it when discarded', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(serve.uiUrl);
      await expect.poll(() => page.getByRole('option').count(), { timeout: 15_000 }).toBeGreaterThan(5);
      const form = page.getByRole('form', { name: 'New message' });
      // Nothing written: Escape just closes.
      await page.locator('body').press('c');
      await form.getByRole('combobox', { name: 'To' }).press('Escape');
      await expect.poll(() => form.count()).toBe(0);

      await page.locator('body').press('c');
      await form.getByRole('combobox', { name: 'To' }).fill('dave@example.test');
      await form.getByLabel('Subject', { exact: true }).fill('Half-written');
      await form.locator('textarea').fill('Notes so far');
      await expect.poll(() => form.locator('.compose-saved').textContent(), { timeout: 10_000 }).toBe('Draft saved');
      await form.locator('textarea').press('Escape');
      const question = page.getByRole('alertdialog', { name: 'Close this message?' });
      await page.screenshot({ path: join(SCREENSHOTS, 'compose-close-question.png') });
      await question.getByRole('button', { name: 'Keep as draft' }).click();
      await expect.poll(() => form.count()).toBe(0);

      await page.reload();
      await expect.poll(() => page.getByRole('option').count(), { timeout: 15_000 }).toBeGreaterThan(5);
      await page.locator('body').press('c');
      await form
        .getByRole('region', { name: 'Unsent messages' })
        .getByRole('button', { name: /Half-written/ })
        .click();
      await expect.poll(() => form.getByLabel('Subject', { exact: true }).inputValue()).toBe('Half-written');
      expect(await form.getByRole('combobox', { name: 'To' }).inputValue()).toBe('dave@example.test');
      expect(await form.locator('textarea').inputValue()).toBe('Notes so far');

      await form.locator('textarea').press('Escape');
      await question.getByRole('button', { name: 'Discard' }).click();
      await expect.poll(() => form.count()).toBe(0);
      await expect
        .poll(async () => ((await (await api('/v1/email/compose-drafts')).json()) as { data: Array<{ subject: string }> }).data)
        .toEqual([]);
      await page.close();
    }, 60_000);

    it('shows a running sync with a progress bar in Settings and in the header, gone when it finishes', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(serve.uiUrl);
      await page.getByRole('button', { name: 'Settings' }).click();
      const accounts = page.getByRole('list', { name: 'Connected accounts' });
      await expect.poll(() => accounts.textContent(), { timeout: 10_000 }).toContain(USER);
      const lastSynced = async () =>
        ((await (await api('/v1/accounts')).json()) as { data: Array<{ last_synced_at: string | null }> }).data[0]
          ?.last_synced_at;
      const before = await lastSynced();
      // Slow Gmail down so the sync is visibly under way.
      await control('/faults', { method: 'POST', body: { fault: { endpoint: 'gmail.*', kind: 'latency', latencyMs: 700 } } });
      try {
        await page.getByRole('button', { name: 'Sync now' }).click();
        await expect.poll(() => page.getByRole('progressbar', { name: `Syncing ${USER}` }).count(), { timeout: 10_000 }).toBe(1);
        expect(await page.locator('.app-header .sync-status').textContent()).toMatch(/^Syncing/);
        await page.screenshot({ path: join(SCREENSHOTS, 'settings-syncing.png') });
      } finally {
        await control('/faults', { method: 'DELETE' });
      }
      await expect.poll(() => page.getByRole('progressbar').count(), { timeout: 20_000 }).toBe(0);
      expect(await lastSynced()).not.toBe(before);
      expect(await accounts.textContent()).not.toContain('Syncing');
      await page.close();
    }, 60_000);

    it('says when it is offline, and comes back by itself', async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(serve.uiUrl);
      await expect.poll(() => page.getByRole('option').count(), { timeout: 15_000 }).toBeGreaterThan(5);
      const status = page.locator('.app-header .sync-status');
      await context.setOffline(true);
      await expect.poll(() => status.textContent()).toMatch(/^Offline/);
      await context.setOffline(false);
      await expect.poll(() => status.count(), { timeout: 20_000 }).toBe(0);
      await context.close();
    }, 60_000);
  },
);
