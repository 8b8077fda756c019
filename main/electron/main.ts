import { join } from 'node:path';
import { app, BrowserWindow, dialog, session, shell, type UtilityProcess, utilityProcess } from 'electron';
import { appRoot, defaultDataDir } from '../core/paths.ts';
import type { CoreHostMessage } from './coreHost.ts';
import {
  BRIDGE_ARG_API,
  BRIDGE_ARG_SESSION,
  hardenedWebPreferences,
  isExternalLinkAllowed,
  isInAppNavigation,
} from './windowPolicy.ts';

// The only module that imports electron at runtime: windows, lifecycle, OS integration.

let core: UtilityProcess | null = null;

function startCoreProcess(dataDir: string): Promise<{ baseUrl: string; sessionToken: string }> {
  return new Promise((resolve, reject) => {
    const child = utilityProcess.fork(join(appRoot(), 'dist', 'electron', 'coreHost.js'), [dataDir], {
      serviceName: 'Outpost core',
      stdio: 'inherit',
    });
    core = child;
    child.once('message', (message: CoreHostMessage) => {
      if (message.type === 'ready') resolve({ baseUrl: message.baseUrl, sessionToken: message.sessionToken });
      else reject(new Error(message.message));
    });
    child.once('exit', (code) => reject(new Error(`the Outpost core exited during start-up (code ${code})`)));
  });
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
    const { baseUrl, sessionToken } = await startCoreProcess(dataDir);
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
  core?.postMessage({ type: 'shutdown' });
});

void launch();
