import type { JobSnapshot } from '../../shared/events.ts';

/** A sync's progress as people read it: "1,234" or "1,234 of 5,000" (messages). Plain text, no DOM: unit tests import it. */
export function progressText(progress: JobSnapshot['progress']): string {
  const done = progress.done.toLocaleString('en-US');
  return progress.total === null ? done : `${done} of ${progress.total.toLocaleString('en-US')}`;
}
