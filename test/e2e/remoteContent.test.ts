import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Request } from 'playwright';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { blockedNotice } from '../../renderer/src/emailHtml/blockedNotice.ts';
import { ensureTls } from '../emulator/kit/tls.ts';
import { HOSTILE_VECTORS, type HostileVector, type RemoteOrigins, vectorHtml } from '../fixtures/hostileHtml/corpus.ts';
import { remoteHost } from '../support/remoteHost.ts';
import { runCli } from '../support/serveProcess.ts';
import { makeTempDir } from '../support/tempDir.ts';
import { useUiSession } from '../support/uiHarness.ts';
import { describeOnEachSurface } from '../support/uiSurface.ts';

/**
 * The hostile corpus opened in the real UI, every request the page makes
 * recorded (Playwright's request events fire for every frame, before any
 * answer, so an attempt counts even if it fails), with two local servers
 * standing in for the remote hosts: {https} on the emulator's certificate and
 * {http}. Before "Show images" nothing remote is requested; after it only the
 * corpus's https <img> sources are, and each server received exactly those.
 */
const SENDER = 'hostile@corpus.example';
const subjectOf = (index: number) => `Hostile vector ${String(index + 1).padStart(2, '0')}`;

/** The asctime form of an mbox "From " line. */
function mboxDate(date: Date): string {
  const [weekday, , , , time] = date.toUTCString().split(' ');
  const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  return `${weekday?.slice(0, 3)} ${month} ${String(date.getUTCDate()).padStart(2, ' ')} ${time} ${date.getUTCFullYear()}`;
}

function corpusMbox(origins: RemoteOrigins): string {
  // Newest first in the list: vector 1 on top, one minute apart.
  const start = Date.now() - 60_000;
  return HOSTILE_VECTORS.map((vector, index) => {
    const date = new Date(start - index * 60_000);
    return [
      `From ${SENDER} ${mboxDate(date)}`,
      `From: Corpus <${SENDER}>`,
      'To: me@example.test',
      `Subject: ${subjectOf(index)}`,
      `Date: ${date.toUTCString()}`,
      `Message-ID: <vector-${index + 1}@corpus.example>`,
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      vectorHtml(vector, origins),
      '',
    ].join('\n');
  }).join('\n');
}

/** The few names of a page's globals used here (this file is typed for Node, without the DOM's). */
interface BrowserGlobals {
  document: {
    querySelector(selector: string): {
      contentDocument?: { URL: string; readyState: string } | null;
      firstChild?: { textContent: string | null } | null;
    } | null;
  };
  requestAnimationFrame(callback: () => void): void;
}

/** The address of the frame a request came from (none for a service worker's). */
function frameUrl(request: Request): string | null {
  try {
    return request.frame().url();
  } catch {
    return null;
  }
}

const expectedNotice = (vector: HostileVector, shown: boolean) =>
  blockedNotice({ images: vector.shows?.length ?? 0, blocked: vector.blocked ?? {} }, shown);

describeOnEachSurface('remote content in a message (the hostile corpus)', (surface) => {
  const https = remoteHost();
  const http = remoteHost();
  let origins: RemoteOrigins = { https: '', http: '' };
  const scratch = makeTempDir();

  // Before the UI session's own beforeAll (hooks run in the order they are declared): the corpus names these origins.
  beforeAll(async () => {
    const tls = await ensureTls(process.env.OUTPOST_TEST_TLS_DIR ?? scratch.path);
    origins = { https: await https.start(tls), http: await http.start() };
  });
  afterAll(async () => {
    await https.close();
    await http.close();
    scratch.remove();
  });

  const ui = useUiSession(surface, async (dataDir, dir) => {
    const mbox = join(dir, 'hostile.mbox');
    writeFileSync(mbox, corpusMbox(origins));
    const imported = await runCli(['import-mbox', mbox, '--data-dir', dataDir]);
    expect(imported.code).toBe(0);
  });

  /** A page on the app whose every request is recorded: those of the message frame, and any leaving the app's origin. */
  async function recordedPage(): Promise<{ page: Page; requests: string[] }> {
    // The remote https host has the emulator's certificate, which Chromium does not know.
    const page = await ui.openPage({ viewport: { width: 1400, height: 900 }, ignoreHTTPSErrors: true });
    const requests: string[] = [];
    const app = new URL(ui.session.baseUrl).origin;
    page.on('request', (request) => {
      const url = request.url();
      if (url.startsWith('data:')) return;
      if (frameUrl(request) === 'about:srcdoc' || !url.startsWith(`${app}/`)) requests.push(url);
    });
    await expect.poll(() => page.getByRole('option').count(), { timeout: 10_000 }).toBeGreaterThan(5);
    return { page, requests };
  }

  /**
   * Opens the next conversation (j) and waits until it is vector `index`'s,
   * its frame has loaded (images included) and two frames have been drawn
   * (styles applied, so any fetch they would start has started).
   */
  async function openNext(page: Page, index: number): Promise<void> {
    await page.keyboard.press('j');
    await page.waitForFunction(
      (title) => {
        const frame = (globalThis as unknown as BrowserGlobals).document.querySelector(`iframe[title="${title}"]`);
        const doc = frame?.contentDocument;
        return doc?.URL === 'about:srcdoc' && doc.readyState === 'complete';
      },
      `Message: ${subjectOf(index)}`,
      { timeout: 10_000 },
    );
    await page.evaluate(
      () =>
        new Promise((resolve) => {
          const { requestAnimationFrame } = globalThis as unknown as BrowserGlobals;
          requestAnimationFrame(() => requestAnimationFrame(() => resolve(null)));
        }),
    );
  }

  /** The notice's sentence (the buttons after it aside), or null when there is none. */
  function noticeOf(page: Page): Promise<string | null> {
    return page.evaluate(
      () => (globalThis as unknown as BrowserGlobals).document.querySelector('.blocked-notice')?.firstChild?.textContent ?? null,
    );
  }

  const shownPaths = HOSTILE_VECTORS.flatMap((vector) => vector.shows ?? []);

  it('loads nothing remote before "Show images", and says what it blocked', async () => {
    const { page, requests } = await recordedPage();
    for (const [index, vector] of HOSTILE_VECTORS.entries()) {
      await openNext(page, index);
      await expect.poll(() => noticeOf(page), { message: vector.name }).toBe(expectedNotice(vector, false));
    }
    // Proving that nothing comes late: a short wait with nothing asked for.
    await page.waitForTimeout(500);
    expect(requests).toEqual([]);
    expect([...https.received, ...http.received]).toEqual([]);
    await ui.closePage(page);
  }, 180_000);

  it('after "Show images" requests only the https <img> sources, and says what it still blocked', async () => {
    const { page } = await recordedPage();
    // Vector 1 is one https image: shown for this message once asked.
    await openNext(page, 0);
    expect(HOSTILE_VECTORS[0]?.shows).toEqual(['/img/plain.png']);
    await page.getByRole('note').getByRole('button', { name: 'Show images', exact: true }).click();
    await expect.poll(() => https.received).toEqual(['/img/plain.png']);
    expect(await noticeOf(page)).toBe('1 image shown.');
    // Always for this sender, from the next message with an https image: every message of the corpus, opened again,
    // as it shows once images are allowed.
    const next = HOSTILE_VECTORS.findIndex((vector, index) => index > 0 && (vector.shows?.length ?? 0) > 0);
    for (let index = 1; index <= next; index++) await openNext(page, index);
    await page
      .getByRole('note')
      .getByRole('button', { name: `Always show images from ${SENDER}` })
      .click();
    await expect.poll(() => noticeOf(page)).toBe(expectedNotice(HOSTILE_VECTORS[next] as HostileVector, true));
    await ui.closePage(page);
    https.received.length = 0;

    const trusted = await recordedPage();
    for (const [index, vector] of HOSTILE_VECTORS.entries()) {
      await openNext(trusted.page, index);
      for (const path of vector.shows ?? []) {
        await expect.poll(() => https.received, { message: `${vector.name}: ${path}` }).toContain(path);
      }
      await expect.poll(() => noticeOf(trusted.page), { message: vector.name }).toBe(expectedNotice(vector, true));
    }
    await trusted.page.waitForTimeout(500);
    expect([...new Set(trusted.requests)].sort()).toEqual(
      [...new Set(shownPaths.map((path) => `${origins.https}${path}`))].sort(),
    );
    expect([...new Set(https.received)].sort()).toEqual([...new Set(shownPaths)].sort());
    expect(http.received).toEqual([]);
    // The image hosts are not told where the reader was (the frame's referrer policy is no-referrer).
    expect(https.referers).toEqual([]);
    await ui.closePage(trusted.page);
  }, 180_000);
});
