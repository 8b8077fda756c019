// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { eventDescriptionHtml } from '../../../../renderer/src/eventDescription.ts';

/** The description as the details panel shows it. */
const shown = (description: string) => {
  const box = document.createElement('div');
  box.innerHTML = eventDescriptionHtml(description);
  return box;
};

describe('eventDescriptionHtml', () => {
  it('keeps plain text as written, its addresses made links that open outside the app', () => {
    const box = shown('Agenda:\n1. Budget <2h>\nNotes: https://docs.example.test/plan?q=1&x=2 or ann@example.test');
    expect(box.textContent).toBe('Agenda:\n1. Budget <2h>\nNotes: https://docs.example.test/plan?q=1&x=2 or ann@example.test');
    const links = [...box.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      'https://docs.example.test/plan?q=1&x=2',
      'mailto:ann@example.test',
    ]);
    for (const a of links) {
      expect(a.getAttribute('target')).toBe('_blank');
      expect(a.getAttribute('rel')).toBe('noopener noreferrer');
    }
  });

  it("keeps Google's bit of HTML and nothing that runs, loads or leaves for another scheme", () => {
    const box = shown(
      '<b>Bring</b> notes<br><img src="https://t.example.test/p.gif" onerror="alert(1)"><script>alert(2)</script>' +
        '<a href="javascript:alert(3)">a</a> <a href="https://wiki.example.test/x" onclick="alert(4)">wiki</a>' +
        '<a href="data:text/html,hi">d</a><style>*{}</style><iframe src="https://x.test"></iframe> see https://example.com/a.',
    );
    expect(box.querySelector('b')?.textContent).toBe('Bring');
    expect(box.querySelectorAll('img, script, style, iframe, [onerror], [onclick]')).toHaveLength(0);
    expect([...box.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))).toEqual([
      'https://wiki.example.test/x',
      'https://example.com/a',
    ]);
    expect(box.textContent).toBe('Bring notesa wikid see https://example.com/a.');
  });
});
