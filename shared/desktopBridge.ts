import type { ComposeDraft } from './composeDraft.ts';

/** Views the desktop shell's menus can ask the renderer to show. */
export type DesktopView = 'settings' | 'shortcuts';

/** What the preload exposes to the renderer as `window.outpost` (and nothing more). */
export interface DesktopBridge {
  /** e.g. http://127.0.0.1:53412 */
  readonly apiBaseUrl: string;
  /** A per-launch admin session token for the API. */
  readonly sessionToken: string;
  /** How account tokens' key is kept: the OS keychain, or a 0600 file where no keychain was found. */
  readonly vaultProtection: 'keychain' | 'file';
  /** A notification was clicked: show this thread (a public thread id, thr_...). */
  onOpenThread(listener: (threadId: string) => void): void;
  /** A menu item asked for a view. */
  onNavigate(listener: (view: DesktopView) => void): void;
  /** Write a message in its own window (new, reply, forward, a saved draft reopened). */
  openCompose(draft: ComposeDraft): void;
}
