import { describe, expect, it } from 'vitest';
import { hardenedWebPreferences, isExternalLinkAllowed, isInAppNavigation } from '../../../main/electron/windowPolicy.ts';

describe('Electron window policy', () => {
  it('hardens every window: isolation, sandbox, no Node', () => {
    const prefs = hardenedWebPreferences('/app/preload.cjs', ['--outpost-api=http://127.0.0.1:1']);
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(prefs.additionalArguments).toEqual(['--outpost-api=http://127.0.0.1:1']);
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
