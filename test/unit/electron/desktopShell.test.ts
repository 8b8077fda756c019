import { describe, expect, it } from 'vitest';
import { appMenuTemplate, badgeText, type MenuActions, trayMenuTemplate, unreadLabel } from '../../../main/electron/appMenus.ts';
import { DesktopPrefs, type DesktopPrefsData, PREFS_DEFAULTS, type PrefsBackend } from '../../../main/electron/desktopPrefs.ts';
import { parseMailto } from '../../../main/electron/mailtoLink.ts';
import { composeWindowUrl, mailtoArgument } from '../../../main/electron/windowPolicy.ts';
import { type NotificationPrefs, notificationPrefsFromJson } from '../../../shared/desktopBridge.ts';

/** electron-store's get/set over a plain object (what the app persists as JSON). */
function memoryStore(initial: Partial<DesktopPrefsData> = {}): PrefsBackend & { data: DesktopPrefsData } {
  const data: DesktopPrefsData = structuredClone({ ...PREFS_DEFAULTS, ...initial });
  return {
    data,
    get: (key) => structuredClone(data[key]),
    set: (key, value) => {
      data[key] = structuredClone(value);
    },
  };
}

const screen = { x: 0, y: 0, width: 1920, height: 1080 };
const noop = () => {};
const actions: MenuActions = {
  compose: noop,
  syncNow: noop,
  openSettings: noop,
  showWindow: noop,
  toggleDoNotDisturb: noop,
  showShortcuts: noop,
  quit: noop,
};

describe('desktop preferences (electron-store backed)', () => {
  it('restores the saved window where it was, and keeps the normal size while maximized', () => {
    const store = memoryStore();
    const prefs = new DesktopPrefs(store);
    prefs.saveWindow({ x: 100, y: 80, width: 1400.4, height: 900 }, false);
    expect(prefs.windowBounds([screen])).toEqual({ x: 100, y: 80, width: 1400, height: 900, maximized: false });
    prefs.saveWindow({ x: 0, y: 0, width: 1920, height: 1080 }, true);
    expect(prefs.windowBounds([screen])).toEqual({ x: 100, y: 80, width: 1400, height: 900, maximized: true });
  });

  it('opens centred and fitted when the saved position is on a display that is gone', () => {
    const prefs = new DesktopPrefs(memoryStore({ window: { x: 2500, y: 100, width: 2400, height: 1400, maximized: false } }));
    expect(prefs.windowBounds([screen])).toEqual({ width: 1920, height: 1080, maximized: false });
  });

  it('turns do-not-disturb, disabled notifications and muted accounts into the batcher settings', () => {
    const store = memoryStore();
    const prefs = new DesktopPrefs(store);
    expect(prefs.notificationSettings().doNotDisturb).toBe(false);
    prefs.setDoNotDisturb(true);
    expect(prefs.notificationSettings().doNotDisturb).toBe(true);
    expect(store.data.notifications.doNotDisturb).toBe(true);
    store.set('notifications', { enabled: false, doNotDisturb: false, mutedAccounts: ['acc-1'] });
    expect(prefs.notificationSettings()).toEqual({ doNotDisturb: true, mutedAccounts: new Set(['acc-1']) });
  });

  it("keeps Settings' notification preferences, and refuses malformed ones from the renderer", () => {
    const store = memoryStore();
    const prefs = new DesktopPrefs(store);
    expect(prefs.notificationPrefs()).toEqual({ enabled: true, doNotDisturb: false, mutedAccounts: [] });
    const wanted = notificationPrefsFromJson({ enabled: true, doNotDisturb: false, mutedAccounts: ['acc-2', 'acc-2'], extra: 1 });
    expect(wanted).toEqual({ enabled: true, doNotDisturb: false, mutedAccounts: ['acc-2'] });
    expect(prefs.setNotificationPrefs(wanted as NotificationPrefs)).toEqual(wanted);
    expect(prefs.notificationSettings()).toEqual({ doNotDisturb: false, mutedAccounts: new Set(['acc-2']) });
    for (const bad of [
      null,
      [],
      'on',
      { enabled: 'yes', doNotDisturb: false, mutedAccounts: [] },
      { enabled: true, doNotDisturb: false },
      { enabled: true, doNotDisturb: false, mutedAccounts: [42] },
      { enabled: true, doNotDisturb: false, mutedAccounts: ['x'.repeat(101)] },
    ])
      expect(notificationPrefsFromJson(bad), JSON.stringify(bad)).toBeNull();
  });

  it('remembers the answer to the mailto: handler question', () => {
    const prefs = new DesktopPrefs(memoryStore());
    expect(prefs.mailtoHandler).toBe('unasked');
    prefs.setMailtoHandler('declined');
    expect(prefs.mailtoHandler).toBe('declined');
  });
});

describe('menus', () => {
  it('uses the standard roles and the documented accelerators, with an app menu on macOS only', () => {
    const mac = appMenuTemplate({ platform: 'darwin', appName: 'Outpost', doNotDisturb: false, actions });
    const linux = appMenuTemplate({ platform: 'linux', appName: 'Outpost', doNotDisturb: true, actions });
    expect(mac[0]?.label).toBe('Outpost');
    expect(linux[0]?.label).toBe('File');
    const all = (template: typeof mac) =>
      template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? item.submenu : [])]);
    for (const template of [mac, linux]) {
      const items = all(template);
      expect(items.map((i) => i.role).filter(Boolean)).toEqual(expect.arrayContaining(['editMenu', 'windowMenu']));
      expect(items.find((i) => i.label === 'New Message')?.accelerator).toBe('CmdOrCtrl+N');
      expect(items.find((i) => i.label === 'Sync Now')?.accelerator).toBe('CmdOrCtrl+Shift+S');
      expect(items.find((i) => i.label === 'Settings…')?.accelerator).toBe('CmdOrCtrl+,');
    }
    expect(all(linux).find((i) => i.label === 'Do Not Disturb')?.checked).toBe(true);
    expect(all(linux).some((i) => i.role === 'quit')).toBe(true);
  });

  it('calls the given actions', () => {
    const calls: string[] = [];
    const tracked = Object.fromEntries(Object.keys(actions).map((k) => [k, () => calls.push(k)])) as unknown as MenuActions;
    const tray = trayMenuTemplate({ unread: 3, doNotDisturb: false, actions: tracked });
    for (const item of tray) (item.click as (() => void) | undefined)?.();
    expect(calls).toEqual(['showWindow', 'compose', 'syncNow', 'toggleDoNotDisturb', 'quit']);
    expect(tray[0]).toMatchObject({ label: '3 unread conversations', enabled: false });
  });

  it('words the unread count and the badge', () => {
    expect(unreadLabel(0)).toBe('No unread mail');
    expect(unreadLabel(1)).toBe('1 unread conversation');
    expect(unreadLabel(1234)).toBe('1,234 unread conversations');
    expect([badgeText(0), badgeText(7), badgeText(100)]).toEqual(['', '7', '99+']);
  });
});

describe('mailto: launches', () => {
  it('finds the link among launch arguments and opens compose with the parsed draft', () => {
    const argv = ['/opt/Outpost/outpost', '--no-sandbox', 'mailto:ann@example.test?subject=Hi%20there&cc=bo@example.test'];
    const link = mailtoArgument(argv);
    expect(link).toBe(argv[2]);
    const url = new URL(composeWindowUrl('http://127.0.0.1:7766', parseMailto(link ?? '')));
    expect(url.origin).toBe('http://127.0.0.1:7766');
    const draft = JSON.parse(Buffer.from(url.searchParams.get('compose') ?? '', 'base64url').toString('utf8'));
    expect(draft).toMatchObject({ to: ['ann@example.test'], cc: ['bo@example.test'], subject: 'Hi there' });
    expect(mailtoArgument(['/opt/Outpost/outpost'])).toBeNull();
  });
});
