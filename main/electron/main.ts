import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  Notification,
  nativeImage,
  safeStorage,
  screen,
  session,
  shell,
  Tray,
  type UtilityProcess,
  utilityProcess,
} from 'electron';
import Store from 'electron-store';
import { type ComposeDraft, draftFromJson } from '../../shared/composeDraft.ts';
import { notificationPrefsFromJson, SESSION_CHANNEL } from '../../shared/desktopBridge.ts';
import { appRoot, defaultDataDir } from '../core/paths.ts';
import { appMenuTemplate, badgeText, type MenuActions, trayMenuTemplate, unreadLabel } from './appMenus.ts';
import type { CoreHostMessage, CoreHostRequest } from './coreHost.ts';
import { CoreRestartPolicy } from './coreRestartPolicy.ts';
import { DesktopPrefs, type DesktopPrefsData, PREFS_DEFAULTS, PREFS_SCHEMA } from './desktopPrefs.ts';
import { MailtoError, parseMailto } from './mailtoLink.ts';
import { importMessageFile, messageFileArguments } from './messageFiles.ts';
import { NotificationBatcher } from './notificationBatcher.ts';
import { desktopVaultKey } from './vaultKeySource.ts';
import {
  composeWindowUrl,
  hardenedWebPreferences,
  isExternalLinkAllowed,
  isInAppNavigation,
  mailtoArgument,
  sessionForSender,
} from './windowPolicy.ts';

// The only module that imports electron at runtime: windows, lifecycle, OS
// integration. Every decision it makes lives in a module tested under Node.

interface CoreConnection {
  baseUrl: string;
  sessionToken: string;
}

let core: UtilityProcess | null = null;
let connection: CoreConnection | null = null;
let vaultProtection: 'keychain' | 'file' = 'keychain';
let mainWindow: BrowserWindow | null = null;
let tray: Tray | null = null;
let unread = 0;
let quitting = false;
const pendingMailto: string[] = [];
/** .eml files opened before the core was up. */
const pendingFiles: string[] = [];
const restartPolicy = new CoreRestartPolicy();
const prefs = new DesktopPrefs(
  new Store<DesktopPrefsData>({ name: 'preferences', defaults: PREFS_DEFAULTS, schema: PREFS_SCHEMA, clearInvalidConfig: true }),
);
const notifications = new NotificationBatcher({
  settings: () => prefs.notificationSettings(),
  show: ({ title, body, threadId }) => {
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title, body, silent: false });
    notification.on('click', () => openThread(threadId));
    notification.show();
  },
});

const actions: MenuActions = {
  compose: () => openCompose({ to: [], cc: [], bcc: [], subject: '', body: '' }),
  syncNow: () => core?.postMessage({ type: 'syncNow' } satisfies CoreHostRequest),
  openSettings: () => sendToMainWindow('outpost:navigate', 'settings'),
  showWindow: () => showMainWindow(),
  toggleDoNotDisturb: () => {
    prefs.setDoNotDisturb(!prefs.doNotDisturb);
    refreshMenus();
  },
  showShortcuts: () => sendToMainWindow('outpost:navigate', 'shortcuts'),
  quit: () => app.quit(),
};

function startCoreProcess(dataDir: string, vaultKey: Buffer): Promise<CoreConnection> {
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
    child.on('message', (message: CoreHostMessage) => {
      switch (message.type) {
        case 'ready':
          ready = true;
          resolve({ baseUrl: message.baseUrl, sessionToken: message.sessionToken });
          break;
        case 'failed':
          reject(new Error(message.message));
          break;
        case 'mail':
          // Oldest first, so the batch's click opens the newest thread.
          for (const m of [...message.messages].reverse())
            notifications.add({ accountId: m.account_id, threadId: m.thread_id, from: m.from, subject: m.subject });
          break;
        case 'unread':
          unread = message.count;
          refreshMenus();
          break;
      }
    });
    child.once('exit', (code) => {
      if (!ready) return reject(new Error(`the Outpost core exited during start-up (code ${code})`));
      if (!quitting) void onCoreCrash(dataDir, vaultKey, code);
    });
  });
}

/** The core died while the app runs: tell the user, restart it with backoff, reload the windows; give up if it keeps dying. */
async function onCoreCrash(dataDir: string, vaultKey: Buffer, code: number): Promise<void> {
  const delay = restartPolicy.onCrash(Date.now());
  if (delay === null) {
    dialog.showErrorBox(
      'Outpost stopped working',
      `The Outpost core keeps stopping (last exit code ${code}). Your mail is safe in the index; restart Outpost to try again.`,
    );
    return;
  }
  if (Notification.isSupported())
    new Notification({ title: 'Outpost is restarting its core', body: `It stopped unexpectedly (exit code ${code}).` }).show();
  await new Promise((resolve) => setTimeout(resolve, delay));
  try {
    connection = await startCoreProcess(dataDir, vaultKey);
    for (const window of BrowserWindow.getAllWindows()) window.destroy();
    mainWindow = createMainWindow(connection);
  } catch (error) {
    await onCoreCrash(dataDir, vaultKey, -1).catch(() =>
      dialog.showErrorBox('Outpost could not restart', (error as Error).message),
    );
  }
}

/** A window on the core's UI with the hardened settings and link rules of windowPolicy.ts. */
function createAppWindow(conn: CoreConnection, url: string, options: Electron.BrowserWindowConstructorOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Outpost',
    show: false,
    ...options,
    webPreferences: hardenedWebPreferences(join(appRoot(), 'dist', 'preload', 'index.cjs'), {
      apiBaseUrl: conn.baseUrl,
      vaultProtection,
    }),
  });
  const appOrigin = new URL(conn.baseUrl).origin;
  window.webContents.setWindowOpenHandler(({ url: target }) => {
    if (isExternalLinkAllowed(target)) void shell.openExternal(target);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, target) => {
    if (!isInAppNavigation(target, appOrigin)) {
      event.preventDefault();
      if (isExternalLinkAllowed(target)) void shell.openExternal(target);
    }
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(url);
  return window;
}

function createMainWindow(conn: CoreConnection): BrowserWindow {
  const bounds = prefs.windowBounds(screen.getAllDisplays().map((d) => d.workArea));
  const window = createAppWindow(conn, `${conn.baseUrl}/`, { ...bounds, minWidth: 640, minHeight: 400 });
  if (bounds.maximized) window.maximize();
  const save = () => {
    if (!window.isDestroyed() && !window.isMinimized()) prefs.saveWindow(window.getNormalBounds(), window.isMaximized());
  };
  window.on('resized', save);
  window.on('moved', save);
  window.on('close', save);
  return window;
}

function showMainWindow(): BrowserWindow | null {
  if (!connection) return null;
  if (!mainWindow || mainWindow.isDestroyed()) mainWindow = createMainWindow(connection);
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
  return mainWindow;
}

function sendToMainWindow(channel: string, value: string): void {
  const window = showMainWindow();
  if (!window) return;
  if (window.webContents.isLoading()) window.webContents.once('did-finish-load', () => window.webContents.send(channel, value));
  else window.webContents.send(channel, value);
}

function openThread(threadId: string): void {
  sendToMainWindow('outpost:open-thread', threadId);
}

/** Compose is its own window, prefilled (from mailto:, the menu, the tray). */
function openCompose(draft: ComposeDraft): void {
  if (!connection) return;
  createAppWindow(connection, composeWindowUrl(connection.baseUrl, draft), { width: 760, height: 640, title: 'New Message' });
}

function handleMailto(url: string): void {
  if (!connection) {
    pendingMailto.push(url); // the app is still starting: open once the core is up
    return;
  }
  try {
    openCompose(parseMailto(url));
  } catch (error) {
    if (error instanceof MailtoError) dialog.showErrorBox('Outpost cannot open this link', error.message);
    else throw error;
  }
}

/** An .eml file opened with Outpost: added to the index (Opened files) and shown in the main window. */
function openMessageFile(path: string): void {
  if (!connection) {
    pendingFiles.push(path);
    return;
  }
  importMessageFile(path, connection).then(
    (threadId) => {
      showMainWindow();
      openThread(threadId);
    },
    (error: Error) => dialog.showErrorBox('Outpost cannot open this file', `${path}: ${error.message}`),
  );
}

function refreshMenus(): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate({ platform: process.platform, appName: app.name, doNotDisturb: prefs.doNotDisturb, actions }),
    ),
  );
  if (process.platform === 'darwin') app.dock?.setBadge(badgeText(unread));
  else app.setBadgeCount(unread);
  if (!tray) return;
  tray.setToolTip(`Outpost — ${unreadLabel(unread)}`);
  tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate({ unread, doNotDisturb: prefs.doNotDisturb, actions })));
}

/** Asks once (never silently) whether Outpost should open mailto: links. */
async function offerMailtoHandler(): Promise<void> {
  if (prefs.mailtoHandler !== 'unasked' || app.isDefaultProtocolClient('mailto')) return;
  const { response } = await dialog.showMessageBox({
    type: 'question',
    buttons: ['Use Outpost', 'Not now'],
    defaultId: 0,
    cancelId: 1,
    message: 'Open email links (mailto:) with Outpost?',
    detail: 'You can change this later in your system settings.',
  });
  const accepted = response === 0;
  prefs.setMailtoHandler(accepted ? 'accepted' : 'declined');
  if (accepted) app.setAsDefaultProtocolClient('mailto');
}

async function launch(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit(); // the running instance gets our argv (a mailto: link) through 'second-instance'
    return;
  }
  app.on('second-instance', (_event, argv) => {
    const mailto = mailtoArgument(argv);
    const files = messageFileArguments(argv.slice(1));
    if (mailto) handleMailto(mailto);
    for (const file of files) openMessageFile(file);
    if (!mailto && files.length === 0) showMainWindow();
  });
  // macOS delivers links and opened files as events, possibly before 'ready'.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    handleMailto(url);
  });
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openMessageFile(path);
  });
  const launchMailto = mailtoArgument(process.argv);
  if (launchMailto) pendingMailto.push(launchMailto);
  pendingFiles.push(...messageFileArguments(process.argv.slice(1)));

  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  // The UI's Compose, Reply and Forward open their own window. Only the app's own pages may ask, and
  // what they send is read as untrusted JSON (drafts carry only known fields of their types).
  ipcMain.on('outpost:compose', (event, value: unknown) => {
    const from = event.senderFrame?.url ?? '';
    if (!connection || !isInAppNavigation(from, new URL(connection.baseUrl).origin)) return;
    const draft = draftFromJson(value);
    if (draft) openCompose(draft);
  });
  // The session token, asked for by the preload (never on a command line: any local user can read those).
  ipcMain.on(SESSION_CHANNEL, (event) => {
    event.returnValue = sessionForSender(event.senderFrame?.url ?? '', connection);
  });
  // Settings reads and changes the notification preferences; again only from the app's own pages.
  const fromApp = (event: Electron.IpcMainInvokeEvent) =>
    connection !== null && isInAppNavigation(event.senderFrame?.url ?? '', new URL(connection.baseUrl).origin);
  ipcMain.handle('outpost:notification-prefs', (event) => {
    if (!fromApp(event)) throw new Error('not from the app');
    return prefs.notificationPrefs();
  });
  ipcMain.handle('outpost:set-notification-prefs', (event, value: unknown) => {
    if (!fromApp(event)) throw new Error('not from the app');
    const wanted = notificationPrefsFromJson(value);
    if (!wanted) throw new Error('malformed notification preferences');
    const stored = prefs.setNotificationPrefs(wanted);
    refreshMenus(); // the Do Not Disturb checkboxes follow
    return stored;
  });
  const dataDir = process.env.OUTPOST_DATA_DIR ?? defaultDataDir();
  try {
    mkdirSync(dataDir, { recursive: true });
    const { key, protection } = desktopVaultKey(dataDir, safeStorage);
    vaultProtection = protection;
    connection = await startCoreProcess(dataDir, key);
    mainWindow = createMainWindow(connection);
    tray = new Tray(nativeImage.createFromPath(join(appRoot(), 'resources', 'tray.png')));
    tray.on('click', () => showMainWindow());
    refreshMenus();
    for (const url of pendingMailto.splice(0)) handleMailto(url);
    for (const file of pendingFiles.splice(0)) openMessageFile(file);
    if (!process.env.OUTPOST_NO_PROMPTS) void offerMailtoHandler();
  } catch (error) {
    dialog.showErrorBox('Outpost could not start', (error as Error).message);
    app.exit(1);
  }
}

app.on('window-all-closed', () => {
  // The tray keeps Outpost (and its syncs) running; quit from the tray or the menu.
  if (!tray && process.platform !== 'darwin') app.quit();
});
app.on('activate', () => showMainWindow());
// Quit waits for the core to close (running transactions finish, the lock is released), 10 s at most.
let coreStopped = false;
app.on('before-quit', (event) => {
  quitting = true;
  if (!core || coreStopped) return;
  event.preventDefault();
  const child = core;
  const done = () => {
    coreStopped = true;
    app.quit();
  };
  child.once('exit', done);
  setTimeout(() => {
    child.kill();
    done();
  }, 10_000).unref();
  child.postMessage({ type: 'shutdown' } satisfies CoreHostRequest);
});

void launch();
