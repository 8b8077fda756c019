import { repairIndex } from '../core/indexRepair.ts';
import { openLogFile } from '../core/log.ts';
import { DEFAULT_LOCAL_ACCOUNT } from '../mail/importRawMessages.ts';

/** `outpost repair`: a damaged index moved aside and rebuilt (main/core/indexRepair.ts), said in a few lines. */
export async function repairCommand(options: { dataDir: string }): Promise<void> {
  const file = await openLogFile(options.dataDir);
  try {
    const result = await repairIndex(options.dataDir, { log: file.log.child({ component: 'repair' }) });
    const out = (line: string) => process.stdout.write(`${line}\n`);
    if (!result) {
      out('the index is intact (quick_check found nothing): nothing to repair');
      return;
    }
    out(`the damaged index was moved to ${result.movedTo} (with its -wal and -shm); nothing was deleted`);
    const kept = result.kept;
    out(
      `kept from it: accounts ${kept.accounts ?? 0}, sign-ins ${kept.credentials ?? 0}, labels ${kept.labels ?? 0}, API keys ${kept.api_keys ?? 0}, webhooks ${kept.webhook_subscriptions ?? 0}`,
    );
    out(
      `rebuilt ${result.rebuilt} messages from their kept raw bytes; ${result.recovered} more whose rows were lost into the label "Recovered" of ${DEFAULT_LOCAL_ACCOUNT}`,
    );
    if (result.resyncs > 0)
      out(`queued ${result.resyncs} full syncs: outpost serve (or outpost sync) fetches what raw bytes could not give back`);
    if (!kept.accounts)
      out(
        'no account could be read from the damaged index: connect your accounts again (outpost accounts connect google|microsoft)',
      );
    if (result.unreadable.length > 0) out(`unreadable in the damaged file: ${result.unreadable.slice(0, 3).join('; ')}`);
  } finally {
    await file.close();
  }
}
