import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  hardenedWebPreferences,
  isExternalLinkAllowed,
  isInAppNavigation,
  sessionForSender,
} from '../../../main/electron/windowPolicy.ts';

describe('Electron window policy', () => {
  it('hardens every window: isolation, sandbox, no Node', () => {
    const prefs = hardenedWebPreferences('/app/preload.cjs', { apiBaseUrl: 'http://127.0.0.1:1', vaultProtection: 'file' });
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(prefs.additionalArguments).toEqual(['--outpost-api=http://127.0.0.1:1', '--outpost-vault=file']);
  });

  // The renderer's command line is readable by every local user (ps, /proc/*/cmdline).
  it('puts nothing secret in the window’s arguments: the session token is asked for over IPC', () => {
    const prefs = hardenedWebPreferences('/app/preload.cjs', { apiBaseUrl: 'http://127.0.0.1:1', vaultProtection: 'keychain' });
    for (const arg of prefs.additionalArguments ?? []) expect(arg).toMatch(/^--outpost-(api|vault)=/);
    const preload = readFileSync(join(import.meta.dirname, '../../../preload/index.ts'), 'utf8');
    expect(preload).not.toMatch(/outpost-session/);
    expect(preload).toMatch(/sendSync\(SESSION_CHANNEL\)/);
  });

  it('answers the session only to the app’s own pages', () => {
    const core = { baseUrl: 'http://127.0.0.1:5000', sessionToken: 'ses_secret' };
    expect(sessionForSender('http://127.0.0.1:5000/#inbox', core)).toBe('ses_secret');
    expect(sessionForSender('http://127.0.0.1:5000/?compose=e30', core)).toBe('ses_secret');
    for (const other of [
      'http://127.0.0.1:5001/',
      'http://localhost:5000/',
      'https://evil.example/',
      'about:blank',
      'data:text/html,x',
      '',
    ])
      expect(sessionForSender(other, core)).toBe('');
    expect(sessionForSender('http://127.0.0.1:5000/', null)).toBe('');
  });

  it('allows in-app navigation only within the core origin', () => {
    expect(isInAppNavigation('http://127.0.0.1:5000/#inbox', 'http://127.0.0.1:5000')).toBe(true);
    expect(isInAppNavigation('http://127.0.0.1:5001/', 'http://127.0.0.1:5000')).toBe(false);
    expect(isInAppNavigation('https://evil.example/', 'http://127.0.0.1:5000')).toBe(false);
    expect(isInAppNavigation('not a url', 'http://127.0.0.1:5000')).toBe(false);
  });

  it('opens only web and mail links in the system browser', () => {
    expect(isExternalLinkAllowed('https://example.com/a')).toBe(true);
    expect(isExternalLinkAllowed('mailto:a@example.com')).toBe(true);
    expect(isExternalLinkAllowed('file:///etc/passwd')).toBe(false);
    expect(isExternalLinkAllowed('javascript:alert(1)')).toBe(false);
    expect(isExternalLinkAllowed('smb://host/share')).toBe(false);
  });
});
