import { IndexDamagedError } from '../core/indexCondition.ts';
import { examineDataDir } from '../core/indexDoctor.ts';

const MiB = 2 ** 20;
const size = (bytes: number) => (bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`);

/** `outpost doctor`: integrity, sizes and orphaned files, printed; a damaged index ends it non-zero with one line. */
export function doctorCommand(options: { dataDir: string }): void {
  const report = examineDataDir(options.dataDir);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`data directory  ${report.dataDir}`);
  if (!report.integrity) {
    out('index           none yet (nothing has been synced or imported)');
    return;
  }
  const { sizes } = report;
  out(`index           ${size(sizes.index)} (WAL ${size(sizes.wal)}, SHM ${size(sizes.shm)})`);
  out(`stored files    ${sizes.blobFiles} in blobs/, ${size(sizes.blobs)}`);
  out(
    report.integrity.ok && !report.damage
      ? `integrity       ok (${report.integrity.check}, ${Math.round(report.integrity.ms)} ms)`
      : `integrity       DAMAGED: ${(report.damage?.problems ?? report.integrity.problems).slice(0, 5).join('; ')}`,
  );
  if (report.orphans) {
    const o = report.orphans;
    out(
      `orphans         ${o.filesWithoutRow} stored files no row names (${size(o.bytesWithoutRow)}), ${o.rowsWithoutFile} rows whose file is missing`,
    );
  } else out('orphans         not counted: the index cannot be trusted');
  if (report.reclaimable)
    out(
      `reclaimable     ${report.reclaimable.blobs} stored files no message refers to, ${size(report.reclaimable.bytes)} (freed by the clean-up after syncs)`,
    );
  if (report.damage) throw new IndexDamagedError(report.damage);
}
