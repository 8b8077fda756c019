/** What the count over a search's results says: "1 conversation", "3 conversations", or "About 16,000 conversations" for the core's estimate. */
export function conversationCount(count: number, estimated: boolean): string {
  const noun = count === 1 && !estimated ? 'conversation' : 'conversations';
  return estimated ? `About ${roughly(count).toLocaleString('en-US')} ${noun}` : `${count.toLocaleString('en-US')} ${noun}`;
}

/** An estimate to two significant figures, as Gmail rounds its own: 16,384 reads as 16,000. */
function roughly(count: number): number {
  if (count < 100) return count;
  const step = 10 ** (Math.floor(Math.log10(count)) - 1);
  return Math.round(count / step) * step;
}
