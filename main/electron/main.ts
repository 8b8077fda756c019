import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, safeStorage, session, shell, type UtilityProcess, utilityProcess } from 'electron';
import { appRoot, defaultDataDir } from '../core/paths.ts';
import type { CoreHostMessage, CoreHostRequest } from './coreHost.ts';
import { CoreRestartPolicy } from './coreRestartPolicy.ts';
import { desktopVaultKey } from './vaultKeySource.ts';
import {
  BRIDGE_ARG_API,
  BRIDGE_ARG_SESSION,
  hardenedWebPreferences,
  isExternalLinkAllowed,
  isInAppNavigation,
} from './windowPolicy.ts';

// The only module that imports electron at runtime: windows, lifecycle, OS integration.

let core: UtilityProcess | null = null;
let quitting = false;
const restartPolicy = new CoreRestartPolicy();

function startCoreProcess(dataDir: string, vaultKey: Buffer): Promise<{ baseUrl: string; sessionToken: string }> {
  return new Promise((resolve, reject) => {
    const child = utilityProcess.fork(join(appRoot(), 'dist', 'electron', 'coreHost.js'), [], {
      serviceName: 'Outpost core',
      stdio: 'inherit',
    });
    core = child;
    let ready = false;
    child.once('spawn', () => {
      child.postMessage({ type: 'start', dataDir, vaultKeyBase64: vaultKey.toString('base64') } satisfies CoreHostRequest);
    });
    child.once('message', (message: CoreHostMessage) => {
      ready = message.type === 'ready';
      if (message.type === 'ready') resolve({ baseUrl: message.baseUrl, sessionToken: message.sessionToken });
      else reject(new Error(message.message));
    });
    child.once('exit', (code) => {
      if (!ready) return reject(new Error(`the Outpost core exited during start-up (code ${code})`));
      if (!quitting) void onCoreCrash(dataDir, vaultKey, code);
    });
  });
}

/** The core died while the app runs: restart it with backoff, reload the windows, and tell the user if it keeps dying. */
async function onCoreCrash(dataDir: string, vaultKey: Buffer, code: number): Promise<void> {
  const delay = restartPolicy.onCrash(Date.now());
  if (delay === null) {
    dialog.showErrorBox(
      'Outpost stopped working',
      `The Outpost core keeps stopping (last exit code ${code}). Your mail is safe in the index; restart Outpost to try again.`,
    );
    return;
  }
  await new Promise((resolve) => setTimeout(resolve, delay));
  try {
    const { baseUrl, sessionToken } = await startCoreProcess(dataDir, vaultKey);
    for (const window of BrowserWindow.getAllWindows()) window.destroy();
    createMainWindow(baseUrl, sessionToken);
  } catch (error) {
    await onCoreCrash(dataDir, vaultKey, -1).catch(() =>
      dialog.showErrorBox('Outpost could not restart', (error as Error).message),
    );
  }
}

function createMainWindow(baseUrl: string, sessionToken: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'Outpost',
    show: false,
    webPreferences: hardenedWebPreferences(join(appRoot(), 'dist', 'preload', 'index.cjs'), [
      BRIDGE_ARG_API + baseUrl,
      BRIDGE_ARG_SESSION + sessionToken,
    ]),
  });
  const appOrigin = new URL(baseUrl).origin;
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalLinkAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (!isInAppNavigation(url, appOrigin)) {
      event.preventDefault();
      if (isExternalLinkAllowed(url)) void shell.openExternal(url);
    }
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${baseUrl}/`);
  return window;
}

async function launch(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  const dataDir = process.env.OUTPOST_DATA_DIR ?? defaultDataDir();
  try {
    mkdirSync(dataDir, { recursive: true });
    const { key } = desktopVaultKey(dataDir, safeStorage);
    const { baseUrl, sessionToken } = await startCoreProcess(dataDir, key);
    let window = createMainWindow(baseUrl, sessionToken);
    app.on('second-instance', () => {
      if (window.isDestroyed()) window = createMainWindow(baseUrl, sessionToken);
      if (window.isMinimized()) window.restore();
      window.focus();
    });
  } catch (error) {
    dialog.showErrorBox('Outpost could not start', (error as Error).message);
    app.exit(1);
  }
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('before-quit', () => {
  quitting = true;
  core?.postMessage({ type: 'shutdown' } satisfies CoreHostRequest);
});

void launch();
