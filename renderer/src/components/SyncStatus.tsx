import { useLiveStore } from '../liveEvents.ts';
import { progressText } from '../syncProgressText.ts';

/** "12,345 of 80,000" or "12,345" while the total is unknown. */
/**
 * The header's one line of state: offline (no network, or the core's event
 * stream is down, so what shows is the local copy) or a running sync with its
 * progress. Nothing when all is well.
 */
export function SyncStatus() {
  const connected = useLiveStore((s) => s.connected);
  const online = useLiveStore((s) => s.online);
  const running = useLiveStore((s) => Object.values(s.jobs).find((j) => j.kind === 'email_sync' && j.progress.done > 0));
  const syncing = useLiveStore((s) => Object.keys(s.jobs).length > 0);
  if (!online || connected === false)
    return (
      <span className="sync-status offline" title="Reading the local copy; changes go out when the connection is back">
        {online ? 'Offline: Outpost is not reachable' : 'Offline'}
      </span>
    );
  if (!syncing) return null;
  return (
    <span className="sync-status" aria-live="polite">
      Syncing{running ? ` ${progressText(running.progress)} messages` : '…'}
    </span>
  );
}
