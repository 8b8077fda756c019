import type { NotificationPrefs } from '../../shared/desktopBridge.ts';
import type { NotificationSettings } from './notificationBatcher.ts';

/** What the desktop app remembers between launches (electron-store's JSON file in userData). */
export interface DesktopPrefsData {
  window: { x?: number; y?: number; width: number; height: number; maximized: boolean };
  notifications: { enabled: boolean; doNotDisturb: boolean; mutedAccounts: string[] };
  /** Whether the user was asked to make Outpost the mailto: handler, and what they said. */
  mailtoHandler: 'unasked' | 'accepted' | 'declined';
}

export const PREFS_DEFAULTS: DesktopPrefsData = {
  window: { width: 1280, height: 820, maximized: false },
  notifications: { enabled: true, doNotDisturb: false, mutedAccounts: [] },
  mailtoHandler: 'unasked',
};

/** electron-store validates the file against this; a hand-edited bad value falls back to the default. */
export const PREFS_SCHEMA = {
  window: {
    type: 'object',
    properties: {
      x: { type: 'integer' },
      y: { type: 'integer' },
      width: { type: 'integer', minimum: 400, maximum: 20000 },
      height: { type: 'integer', minimum: 300, maximum: 20000 },
      maximized: { type: 'boolean' },
    },
    required: ['width', 'height', 'maximized'],
  },
  notifications: {
    type: 'object',
    properties: {
      enabled: { type: 'boolean' },
      doNotDisturb: { type: 'boolean' },
      mutedAccounts: { type: 'array', items: { type: 'string' } },
    },
    required: ['enabled', 'doNotDisturb', 'mutedAccounts'],
  },
  mailtoHandler: { enum: ['unasked', 'accepted', 'declined'] },
} as const;

/** The part of electron-store used here, so the logic is tested without Electron. */
export interface PrefsBackend {
  get<K extends keyof DesktopPrefsData>(key: K): DesktopPrefsData[K];
  set<K extends keyof DesktopPrefsData>(key: K, value: DesktopPrefsData[K]): void;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class DesktopPrefs {
  readonly #store: PrefsBackend;

  constructor(store: PrefsBackend) {
    this.#store = store;
  }

  /**
   * The saved window, still inside one of today's displays (a monitor may have
   * been unplugged): a position off every work area is dropped, so the window
   * opens centred, and the size shrinks to fit the display it is on.
   */
  windowBounds(workAreas: readonly Rect[]): DesktopPrefsData['window'] {
    const saved = this.#store.get('window');
    const { x, y } = saved;
    const area =
      x !== undefined && y !== undefined
        ? workAreas.find((a) => x + 50 <= a.x + a.width && x + saved.width - 50 >= a.x && y >= a.y && y + 30 <= a.y + a.height)
        : undefined;
    const fit = area ?? workAreas[0];
    const width = fit ? Math.min(saved.width, fit.width) : saved.width;
    const height = fit ? Math.min(saved.height, fit.height) : saved.height;
    return area && x !== undefined && y !== undefined
      ? { x, y, width, height, maximized: saved.maximized }
      : { width, height, maximized: saved.maximized };
  }

  saveWindow(bounds: Rect, maximized: boolean): void {
    // A maximized window keeps its normal size for when it is restored.
    const previous = this.#store.get('window');
    this.#store.set(
      'window',
      maximized
        ? { ...previous, maximized: true }
        : {
            x: Math.round(bounds.x),
            y: Math.round(bounds.y),
            width: Math.round(bounds.width),
            height: Math.round(bounds.height),
            maximized,
          },
    );
  }

  notificationSettings(): NotificationSettings {
    const n = this.#store.get('notifications');
    return { doNotDisturb: n.doNotDisturb || !n.enabled, mutedAccounts: new Set(n.mutedAccounts) };
  }

  /** As Settings shows them. */
  notificationPrefs(): NotificationPrefs {
    const n = this.#store.get('notifications');
    return { enabled: n.enabled, doNotDisturb: n.doNotDisturb, mutedAccounts: [...n.mutedAccounts] };
  }

  setNotificationPrefs(prefs: NotificationPrefs): NotificationPrefs {
    this.#store.set('notifications', {
      enabled: prefs.enabled,
      doNotDisturb: prefs.doNotDisturb,
      mutedAccounts: [...prefs.mutedAccounts],
    });
    return this.notificationPrefs();
  }

  get doNotDisturb(): boolean {
    return this.#store.get('notifications').doNotDisturb;
  }

  setDoNotDisturb(on: boolean): void {
    this.#store.set('notifications', { ...this.#store.get('notifications'), doNotDisturb: on });
  }

  get mailtoHandler(): DesktopPrefsData['mailtoHandler'] {
    return this.#store.get('mailtoHandler');
  }

  setMailtoHandler(answer: 'accepted' | 'declined'): void {
    this.#store.set('mailtoHandler', answer);
  }
}
