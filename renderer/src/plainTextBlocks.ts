/** A run of a plain-text body: the writer's own text, or lines quoted from an earlier message ("> "). */
export interface TextBlock {
  kind: 'text' | 'quote';
  text: string;
}

const QUOTED = /^\s*>/;
/** "On Tue, 8 Oct 2002, John Moylan wrote:" and the like, which introduce a quote. */
const ATTRIBUTION = /\bwrote:\s*$/i;

/**
 * A plain-text body as runs of own and quoted text, and apart from them the
 * quote it ends with (its attribution line included), which the reader folds
 * away as mail apps do: in a reply that is the whole earlier message again.
 * Quotes in the middle (answers between quoted lines) stay in place.
 */
export function plainTextBlocks(body: string): { blocks: TextBlock[]; trailing: TextBlock[] } {
  const runs: Array<{ kind: TextBlock['kind']; lines: string[] }> = [];
  for (const line of body.replace(/\r\n?/g, '\n').split('\n')) {
    // A blank line stays with the run it is in: quotes often have blank quoted-or-not lines inside.
    const kind = line.trim() === '' ? (runs.at(-1)?.kind ?? 'text') : QUOTED.test(line) ? 'quote' : 'text';
    const last = runs.at(-1);
    if (last && last.kind === kind) last.lines.push(line);
    else runs.push({ kind, lines: [line] });
  }
  let lastOwn = runs.length - 1;
  while (lastOwn >= 0 && (runs[lastOwn]?.kind !== 'text' || runs[lastOwn]?.lines.every((l) => l.trim() === ''))) lastOwn--;
  const toBlock = (run: { kind: TextBlock['kind']; lines: string[] }): TextBlock => ({
    kind: run.kind,
    text: run.lines.join('\n'),
  });
  if (lastOwn < 0 || lastOwn === runs.length - 1) return { blocks: runs.map(toBlock), trailing: [] };
  // The own text's last line introducing the quote goes with it.
  const own = runs[lastOwn] as { kind: TextBlock['kind']; lines: string[] };
  const lines = withoutTrailingBlanks(own.lines);
  const attribution = lines.length > 0 && ATTRIBUTION.test(lines.at(-1) ?? '') ? lines.pop() : undefined;
  lines.splice(withoutTrailingBlanks(lines).length);
  const blocks = [...runs.slice(0, lastOwn).map(toBlock)];
  if (lines.some((l) => l.trim() !== '')) blocks.push({ kind: 'text', text: lines.join('\n') });
  const trailing = [
    ...(attribution ? [{ kind: 'text' as const, text: attribution }] : []),
    ...runs.slice(lastOwn + 1).map(toBlock),
  ];
  return { blocks, trailing };
}

function withoutTrailingBlanks(lines: readonly string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1]?.trim() === '') end--;
  return lines.slice(0, end);
}
