/** What the preload exposes to the renderer as `window.outpost` (and nothing more). */
export interface DesktopBridge {
  /** e.g. http://127.0.0.1:53412 */
  readonly apiBaseUrl: string;
  /** A per-launch admin session token for the API. */
  readonly sessionToken: string;
}
