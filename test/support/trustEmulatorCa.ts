import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTls } from '../emulator/kit/tls.ts';

/**
 * For scripts (demo, benchmarks) that talk to the emulator through the real
 * clients: Node reads NODE_EXTRA_CA_CERTS only at start-up, so the first call
 * creates the emulator's CA and reruns the script in a child Node that trusts
 * it (googleapis, msal-node and fetch then trust the emulator exactly as they
 * trust Google and Microsoft), and exits with the child's code. In that child
 * (or under vitest, whose globalSetup did the same) it returns the folder
 * holding the CA, which startEmulator reuses through OUTPOST_TEST_TLS_DIR.
 */
export async function runTrustingEmulatorCa(): Promise<string> {
  const ready = process.env.OUTPOST_TEST_TLS_DIR;
  if (ready && process.env.NODE_EXTRA_CA_CERTS) return ready;
  const tlsDir = mkdtempSync(join(tmpdir(), 'outpost-ca-'));
  const { caCertPath } = await ensureTls(tlsDir);
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caCertPath, OUTPOST_TEST_TLS_DIR: tlsDir },
  });
  // A terminal's Ctrl-C reaches both processes; a `kill` of this one is passed on.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  const [code] = (await once(child, 'exit')) as [number | null];
  rmSync(tlsDir, { recursive: true, force: true });
  process.exit(code ?? 1);
}
