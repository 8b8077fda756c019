// The preload: exposes the API's base URL and this launch's session token, nothing else.
import { contextBridge } from 'electron';
import type { DesktopBridge } from '../shared/desktopBridge.ts';

function argument(prefix: string): string {
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length) ?? '';
}

const bridge = {
  apiBaseUrl: argument('--outpost-api='),
  sessionToken: argument('--outpost-session='),
} satisfies DesktopBridge;

contextBridge.exposeInMainWorld('outpost', bridge);
