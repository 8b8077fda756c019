import type { WebPreferences } from 'electron';
import type { ComposeDraft } from '../../shared/composeDraft.ts';

/**
 * The security rules of Outpost's windows, kept free of Electron's runtime so
 * they are unit-tested under plain Node.
 */
export function hardenedWebPreferences(preloadPath: string, bridge: PublicBridgeArgs): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: true,
    // Only what any local user may see: arguments are on the renderer's command line (ps, /proc/*/cmdline).
    additionalArguments: [BRIDGE_ARG_API + bridge.apiBaseUrl, BRIDGE_ARG_VAULT + bridge.vaultProtection],
  };
}

/**
 * What the preload is told on the renderer's command line. Nothing secret:
 * the session token is asked for over IPC (`SESSION_CHANNEL`, answered by
 * `sessionForSender`).
 */
export interface PublicBridgeArgs {
  apiBaseUrl: string;
  vaultProtection: 'keychain' | 'file';
}

/**
 * The answer to a session request: the token only for a frame showing the
 * app's own origin (the UI the core serves); any other page (a link that
 * got navigated to, a subframe of a message) gets an empty string.
 */
export function sessionForSender(senderUrl: string, core: { baseUrl: string; sessionToken: string } | null): string {
  if (!core) return '';
  return isInAppNavigation(senderUrl, new URL(core.baseUrl).origin) ? core.sessionToken : '';
}

/** In-app navigation is allowed only within the core's own origin (the UI). */
export function isInAppNavigation(targetUrl: string, appOrigin: string): boolean {
  try {
    return new URL(targetUrl).origin === appOrigin;
  } catch {
    return false;
  }
}

/** Links the system browser may open: web and mail links only, never file:, javascript: or custom schemes. */
export function isExternalLinkAllowed(targetUrl: string): boolean {
  try {
    return ['https:', 'http:', 'mailto:'].includes(new URL(targetUrl).protocol);
  } catch {
    return false;
  }
}

export const BRIDGE_ARG_API = '--outpost-api=';
/** How the vault's key is kept ("keychain" or "file"), so Settings can warn when no keychain was found. */
export const BRIDGE_ARG_VAULT = '--outpost-vault=';

/** The compose window's page: the UI with the draft in its query (the renderer opens compose-only). */
export function composeWindowUrl(baseUrl: string, draft: ComposeDraft): string {
  return `${baseUrl}/?compose=${Buffer.from(JSON.stringify(draft), 'utf8').toString('base64url')}`;
}

/** A mailto: link among a launch's arguments (Windows and Linux pass it on the command line). */
export function mailtoArgument(argv: readonly string[]): string | null {
  return argv.find((arg) => /^mailto:/i.test(arg)) ?? null;
}
