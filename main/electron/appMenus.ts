import type { MenuItemConstructorOptions } from 'electron';

/** What the menus can do; main.ts supplies the implementations. */
export interface MenuActions {
  compose(): void;
  syncNow(): void;
  openSettings(): void;
  showWindow(): void;
  toggleDoNotDisturb(): void;
  showShortcuts(): void;
  quit(): void;
}

/**
 * The application menu: the platform's standard roles (so copy, paste, undo,
 * window and app items behave natively) plus Outpost's commands with the
 * accelerators the renderer's shortcut help lists.
 */
export function appMenuTemplate(options: {
  platform: NodeJS.Platform;
  appName: string;
  doNotDisturb: boolean;
  actions: MenuActions;
}): MenuItemConstructorOptions[] {
  const { actions } = options;
  const mac = options.platform === 'darwin';
  const settings: MenuItemConstructorOptions = { label: 'Settings…', accelerator: 'CmdOrCtrl+,', click: actions.openSettings };
  return [
    ...(mac
      ? [
          {
            label: options.appName,
            submenu: [
              { role: 'about' },
              { type: 'separator' },
              settings,
              { type: 'separator' },
              { role: 'services' },
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              { role: 'quit' },
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    {
      label: 'File',
      submenu: [
        { label: 'New Message', accelerator: 'CmdOrCtrl+N', click: actions.compose },
        { label: 'Sync Now', accelerator: 'CmdOrCtrl+Shift+S', click: actions.syncNow },
        { type: 'separator' },
        ...(mac
          ? [{ role: 'close' } satisfies MenuItemConstructorOptions]
          : [settings, { type: 'separator' } as const, { role: 'quit' } as const]),
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        {
          label: 'Do Not Disturb',
          type: 'checkbox',
          checked: options.doNotDisturb,
          click: actions.toggleDoNotDisturb,
        },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'Keyboard Shortcuts', accelerator: 'Shift+/', click: actions.showShortcuts }] },
  ];
}

/** The tray (or dock) menu: unread count at a glance, Sync now, and the way back to the window. */
export function trayMenuTemplate(options: {
  unread: number;
  doNotDisturb: boolean;
  actions: MenuActions;
}): MenuItemConstructorOptions[] {
  const { actions } = options;
  return [
    { label: unreadLabel(options.unread), enabled: false },
    { type: 'separator' },
    { label: 'Open Outpost', click: actions.showWindow },
    { label: 'New Message', click: actions.compose },
    { label: 'Sync Now', click: actions.syncNow },
    { label: 'Do Not Disturb', type: 'checkbox', checked: options.doNotDisturb, click: actions.toggleDoNotDisturb },
    { type: 'separator' },
    { label: 'Quit Outpost', click: actions.quit },
  ];
}

export function unreadLabel(unread: number): string {
  if (unread === 0) return 'No unread mail';
  return unread === 1 ? '1 unread conversation' : `${unread.toLocaleString('en-US')} unread conversations`;
}

/** The dock badge / tray title: nothing at zero, "99+" beyond two digits. */
export function badgeText(unread: number): string {
  if (unread <= 0) return '';
  return unread > 99 ? '99+' : String(unread);
}
