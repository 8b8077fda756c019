// The preload: exposes the API's base URL, this launch's session token (asked
// of the main process over IPC when the page needs it: never on the command
// line, which every local user can read), two
// notifications from the main process (open a thread, show a view) and three
// requests to it (open a compose window; read and change the new-mail
// notification preferences). Nothing else: no ipcRenderer, no Node.
import { contextBridge, ipcRenderer } from 'electron';
import type { ComposeDraft } from '../shared/composeDraft.ts';
import { type DesktopBridge, type DesktopView, type NotificationPrefs, SESSION_CHANNEL } from '../shared/desktopBridge.ts';

function argument(prefix: string): string {
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length) ?? '';
}

const bridge = {
  apiBaseUrl: argument('--outpost-api='),
  // Synchronous so the API client stays synchronous; the main process answers it only to the app's own pages.
  sessionToken: () => String(ipcRenderer.sendSync(SESSION_CHANNEL) ?? ''),
  vaultProtection: argument('--outpost-vault=') === 'file' ? 'file' : 'keychain',
  onOpenThread(listener: (threadId: string) => void) {
    ipcRenderer.on('outpost:open-thread', (_event, threadId: string) => listener(String(threadId)));
  },
  onNavigate(listener: (view: DesktopView) => void) {
    ipcRenderer.on('outpost:navigate', (_event, view: DesktopView) => listener(view));
  },
  openCompose(draft: ComposeDraft) {
    ipcRenderer.send('outpost:compose', draft);
  },
  getNotificationPrefs: () => ipcRenderer.invoke('outpost:notification-prefs') as Promise<NotificationPrefs>,
  setNotificationPrefs: (prefs: NotificationPrefs) =>
    ipcRenderer.invoke('outpost:set-notification-prefs', prefs) as Promise<NotificationPrefs>,
} satisfies DesktopBridge;

contextBridge.exposeInMainWorld('outpost', bridge);
