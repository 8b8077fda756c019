import { join } from 'node:path';
import { type Browser, type BrowserContext, _electron as electron, type Page } from 'playwright';
import { describe } from 'vitest';
import { chromiumMissingReason, launchChromium } from './chromium.ts';
import { findElectronBinary } from './electronBinary.ts';
import { startServe } from './serveProcess.ts';

const APP_DIR = join(import.meta.dirname, '..', '..');

export interface PageOptions {
  viewport?: { width: number; height: number };
  /** For pages that visit the emulator's consent pages, served on its own test CA. */
  ignoreHTTPSErrors?: boolean;
  /** A browser tab opened on the UI's address without the session (the desktop app always has one). */
  withoutSession?: boolean;
  /**
   * The UI's undo-send period (a preference of the device). Default 0 here, so tests that send
   * see it go at once; the undo test sets its own.
   */
  undoSendSeconds?: number;
  /** Runs on the page's context before the UI loads: permissions, init scripts, a fake clock (`context.clock.install`). */
  prepare?: (context: BrowserContext) => Promise<void>;
}

const UNDO_SEND_KEY = 'outpost.undoSendSeconds';

/** Outpost's UI running over one data directory, in a browser tab or in the desktop app. */
export interface UiSession {
  /** The local API the UI talks to, and the session it uses (an admin session). */
  readonly baseUrl: string;
  readonly sessionToken: string;
  /** A page showing the app from its start: a new tab on `outpost serve`, or the desktop app's window, reloaded. */
  openPage(options?: PageOptions): Promise<Page>;
  closePage(page: Page): Promise<void>;
  /**
   * Where the message `open` starts is written: the same page in a browser
   * (a dialog over the mail), a new window in the desktop app.
   */
  composer(page: Page, open: () => Promise<void>): Promise<Page>;
  /**
   * The page `open` sends the user to outside the app (a provider's consent
   * page): a popup tab in a browser; in the desktop app the URL it hands to
   * the system browser, shown in a plain window standing in for that browser.
   */
  external(page: Page, open: () => Promise<void>): Promise<Page>;
  stop(): Promise<void>;
}

export interface UiSurface {
  readonly name: 'chromium' | 'electron';
  /** Why the UI cannot run on this machine, or null. */
  readonly skipReason: string | null;
  start(dataDir: string, env?: Record<string, string>, options?: SessionOptions): Promise<UiSession>;
}

export interface SessionOptions {
  /** The UI's language and formats (dates, weekdays), e.g. en-GB; the surface's default otherwise. */
  locale?: string;
}

/** Debian's Chromium on the built `outpost serve` (random port). */
export const chromiumSurface: UiSurface = {
  name: 'chromium',
  skipReason: chromiumMissingReason,
  async start(dataDir, env = {}, options = {}) {
    const serve = await startServe(dataDir, [], env);
    let browser: Browser;
    try {
      browser = await launchChromium();
    } catch (error) {
      await serve.stop();
      throw error;
    }
    return {
      baseUrl: serve.baseUrl,
      sessionToken: serve.sessionToken,
      async openPage(page = {}) {
        const context = await browser.newContext({
          ...(page.viewport ? { viewport: page.viewport } : {}),
          ...(options.locale ? { locale: options.locale } : {}),
          ignoreHTTPSErrors: page.ignoreHTTPSErrors ?? false,
        });
        // Set once per tab: a change made in Settings during the test survives its reloads.
        await context.addInitScript(
          ([key, seconds]) => {
            const storage = (
              globalThis as unknown as {
                localStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void };
              }
            ).localStorage;
            if (storage.getItem(key) === null) storage.setItem(key, seconds);
          },
          [UNDO_SEND_KEY, String(page.undoSendSeconds ?? 0)] as const,
        );
        await page.prepare?.(context);
        const tab = await context.newPage();
        await tab.goto(page.withoutSession ? `${serve.baseUrl}/` : serve.uiUrl);
        return tab;
      },
      closePage: (page) => page.context().close(),
      async composer(page, open) {
        await open();
        return page;
      },
      async external(page, open) {
        const popup = page.waitForEvent('popup');
        await open();
        return popup;
      },
      async stop() {
        await browser.close();
        await serve.stop();
      },
    };
  },
};

function electronSkipReason(): string | null {
  const binary = findElectronBinary();
  if (binary.reason) return binary.reason;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return 'no display for Electron (run the tests under xvfb-run)';
  return null;
}

/** The desktop app (built main, preload and renderer) on the installed Electron binary. */
export const electronSurface: UiSurface = {
  name: 'electron',
  skipReason: electronSkipReason(),
  async start(dataDir, env = {}, options = {}) {
    const binary = findElectronBinary();
    if (binary.path === null) throw new Error(binary.reason);
    const app = await electron.launch({
      executablePath: binary.path,
      args: [
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        ...(options.locale ? [`--lang=${options.locale}`] : []),
        APP_DIR,
      ],
      env: { ...process.env, OUTPOST_DATA_DIR: dataDir, OUTPOST_NO_PROMPTS: '1', ...env } as Record<string, string>,
    });
    const window = await app.firstWindow();
    await window.waitForLoadState('domcontentloaded');
    const startUrl = window.url();
    const bridge = await window.evaluate(() => {
      const outpost = (globalThis as unknown as { outpost: { apiBaseUrl: string; sessionToken(): string } }).outpost;
      return { baseUrl: outpost.apiBaseUrl, sessionToken: outpost.sessionToken() };
    });
    return {
      ...bridge,
      async openPage(options = {}) {
        if (options.viewport) {
          await app.evaluate(({ BrowserWindow }, size) => {
            BrowserWindow.getAllWindows()[0]?.setContentSize(size.width, size.height);
          }, options.viewport);
        }
        await window.evaluate(
          ([key, seconds]) =>
            (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem(
              key,
              seconds,
            ),
          [UNDO_SEND_KEY, String(options.undoSendSeconds ?? 0)] as const,
        );
        await options.prepare?.(window.context());
        await window.goto(startUrl);
        return window;
      },
      // The app has one main window: the next test reloads it, without this test's routes and listeners.
      async closePage(page) {
        await page.unrouteAll({ behavior: 'ignoreErrors' });
        for (const event of ['console', 'dialog', 'request', 'popup'] as const) page.removeAllListeners(event);
      },
      async composer(_page, open) {
        const opened = app.waitForEvent('window');
        await open();
        const window = await opened;
        await window.waitForLoadState('domcontentloaded');
        return window;
      },
      async external(_page, open) {
        // The app's window-open rule hands https pages to shell.openExternal; here the main
        // window's rule records them instead, and a plain window stands in for the browser.
        await app.evaluate(({ BrowserWindow }) => {
          const opened: string[] = [];
          (globalThis as { openedExternally?: string[] }).openedExternally = opened;
          BrowserWindow.getAllWindows()[0]?.webContents.setWindowOpenHandler(({ url }) => {
            opened.push(url);
            return { action: 'deny' };
          });
        });
        await open();
        let url: string | undefined;
        for (const started = Date.now(); !url && Date.now() - started < 10_000; ) {
          url = await app.evaluate(() => (globalThis as { openedExternally?: string[] }).openedExternally?.shift());
          if (!url) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        if (!url) throw new Error('the app handed nothing to the system browser');
        const shown = app.waitForEvent('window');
        await app.evaluate(({ app: electronApp, BrowserWindow }, target) => {
          // The stand-in browser trusts the emulator's test CA for the emulator's origin only.
          const origin = new URL(target).origin;
          electronApp.on('certificate-error', (event, _contents, url, _error, _certificate, callback) => {
            if (!url.startsWith(origin)) return;
            event.preventDefault();
            callback(true);
          });
          void new BrowserWindow({ width: 900, height: 700 }).loadURL(target);
        }, url);
        return shown;
      },
      stop: () => app.close(),
    };
  },
};

export const UI_SURFACES: readonly UiSurface[] = [chromiumSurface, electronSurface];

/**
 * The same tests in Debian's Chromium against `outpost serve` and in the
 * Electron app; each block is reported as skipped, with the reason, where its
 * surface cannot run (no Electron binary can be downloaded on some machines).
 */
export function describeOnEachSurface(title: string, body: (surface: UiSurface) => void): void {
  for (const surface of UI_SURFACES) {
    const label = surface.name === 'chromium' ? 'real Chromium' : 'Electron app';
    describe.skipIf(surface.skipReason !== null)(
      `${title} (${label})${surface.skipReason ? ` — skipped: ${surface.skipReason}` : ''}`,
      () => body(surface),
    );
  }
}
