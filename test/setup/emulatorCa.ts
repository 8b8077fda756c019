/**
 * Creates ONE emulator CA before vitest forks its workers and exports it:
 * NODE_EXTRA_CA_CERTS makes googleapis / msal-node / fetch in the workers
 * trust the emulator with no code changes, and OUTPOST_TEST_TLS_DIR makes
 * every in-test startEmulator() reuse that certificate.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTls } from '../emulator/kit/tls.ts';

export default async function setup(): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-test-ca-'));
  const { caCertPath } = await ensureTls(dir);
  process.env.NODE_EXTRA_CA_CERTS = caCertPath;
  process.env.OUTPOST_TEST_TLS_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
