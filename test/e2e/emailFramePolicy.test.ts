import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UI_CONTENT_SECURITY_POLICY } from '../../main/api/routes/ui.ts';
import { EMAIL_FRAME_SANDBOX, emailFrameDocument } from '../../renderer/src/emailHtml/framePolicy.ts';
import { ensureTls } from '../emulator/kit/tls.ts';
import { HOSTILE_VECTORS, vectorHtml } from '../fixtures/hostileHtml/corpus.ts';
import { chromiumMissingReason, launchChromium } from '../support/chromium.ts';
import { remoteHost } from '../support/remoteHost.ts';
import { makeTempDir } from '../support/tempDir.ts';

/**
 * The message frame's Content-Security-Policy on its own, in real Chromium:
 * the whole hostile corpus put in the frame NOT sanitized, under the app's
 * own policy as served, with one https image shown. Only that image is
 * fetched, so whatever the sanitizer might miss, the policy holds. The same
 * frame without its policy fetches the corpus's styles and SVG references:
 * the test would see a policy that let them through.
 */
describe.skipIf(chromiumMissingReason !== null)('the message frame’s policy without the sanitizer (real Chromium)', () => {
  const https = remoteHost();
  const http = remoteHost();
  const scratch = makeTempDir();
  let browser: Browser | undefined;
  let app: Server | undefined;
  let appOrigin = '';
  let body = '';
  let shown = '';
  const frames = new Map<string, string>();

  beforeAll(async () => {
    const tls = await ensureTls(process.env.OUTPOST_TEST_TLS_DIR ?? scratch.path);
    const origins = { https: await https.start(tls), http: await http.start() };
    body = HOSTILE_VECTORS.map((vector) => vectorHtml(vector, origins)).join('\n');
    shown = `${origins.https}/img/plain.png`;
    // The app's origin: a page under the UI's policy holding the message frame (srcdoc, as MessageBody renders it).
    app = createServer((req, res) => {
      const srcdoc = frames.get(req.url ?? '');
      if (srcdoc === undefined) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': UI_CONTENT_SECURITY_POLICY });
      res.end(
        `<!doctype html><title>frame</title><iframe sandbox="${EMAIL_FRAME_SANDBOX}" srcdoc="${escapeAttribute(srcdoc)}"></iframe>`,
      );
    });
    await new Promise<void>((resolve) => app?.listen(0, '127.0.0.1', resolve));
    appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    app?.close();
    await https.close();
    await http.close();
    scratch.remove();
  });

  /** Loads a frame document and returns the paths the remote hosts received meanwhile (distinct, sorted). */
  async function fetchedBy(srcdoc: string): Promise<string[]> {
    const path = `/frame-${frames.size}`;
    frames.set(path, srcdoc);
    https.received.length = 0;
    http.received.length = 0;
    const context = await (browser as Browser).newContext({ ignoreHTTPSErrors: true });
    const page: Page = await context.newPage();
    await page.goto(`${appOrigin}${path}`, { waitUntil: 'load' });
    await page.evaluate(
      () =>
        new Promise((resolve) => {
          const raf = (globalThis as unknown as { requestAnimationFrame(callback: () => void): void }).requestAnimationFrame;
          raf(() => raf(() => resolve(null)));
        }),
    );
    // Proving that nothing comes late: a short wait with nothing more asked for.
    await page.waitForTimeout(500);
    await context.close();
    return [...new Set([...https.received, ...http.received])].sort();
  }

  it('fetches only the shown https image from an unsanitized hostile corpus', async () => {
    expect(await fetchedBy(emailFrameDocument(body, [shown]))).toEqual(['/img/plain.png']);
  });

  it('fetches nothing from it before images are shown', async () => {
    expect(await fetchedBy(emailFrameDocument(body, []))).toEqual([]);
  });

  it('(the control) without its policy the same frame fetches styles, SVG references and more', async () => {
    const withoutPolicy = emailFrameDocument(body, [shown]).replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
    const fetched = await fetchedBy(withoutPolicy);
    expect(fetched).toEqual(
      expect.arrayContaining([
        ...['/img/plain.png', '/css/attr-escaped.png', '/css/attr-image-set.png', '/css/sheet-escaped.png', '/svg/image.png'],
        ...['/svg/feimage.png', '/bg/td.png', '/img/picture.webp', '/media/poster.png', '/link/preload.png'],
      ]),
    );
  });
});

function escapeAttribute(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
}
