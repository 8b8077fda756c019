/**
 * npm run emulator -- [--port 0] [--seed corpus|synthetic:N|empty] [--state FILE] [--tls-dir DIR] [--auto-consent]
 * Prints one JSON line (base URLs, CA path, users, control URL) once ready.
 */
import { startEmulator } from './index.ts';
import type { SeedSpec } from './kit/types.ts';

function fail(message: string): never {
  process.stderr.write(`emulator: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]) {
  const out: { port: number; seed: SeedSpec; statePath?: string; tlsDir?: string; autoConsent: boolean } = {
    port: 0,
    seed: { kind: 'corpus' },
    autoConsent: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = () => argv[++i] ?? fail(`${arg} needs a value`);
    if (arg === '--port') {
      const port = Number(value());
      if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid --port: ${argv[i]}`);
      out.port = port;
    } else if (arg === '--seed') {
      const v = value();
      const m = /^synthetic:(\d+)$/.exec(v);
      if (v === 'corpus' || v === 'empty') out.seed = { kind: v };
      else if (m && Number(m[1]) > 0) out.seed = { kind: 'synthetic', count: Number(m[1]) };
      else fail(`invalid --seed: ${v} (corpus | synthetic:N | empty)`);
    } else if (arg === '--state') out.statePath = value();
    else if (arg === '--tls-dir') out.tlsDir = value();
    else if (arg === '--auto-consent') out.autoConsent = true;
    else fail(`unknown argument: ${arg}`);
  }
  return out;
}

const args = parseArgs(process.argv.slice(2));
const started = Date.now();
const emulator = await startEmulator({
  port: args.port,
  seed: args.seed,
  statePath: args.statePath,
  tlsDir: args.tlsDir,
  autoConsent: args.autoConsent,
}).catch((err: Error) => fail(err.message));
process.stdout.write(
  `${JSON.stringify({ baseUrl: emulator.baseUrl, urls: emulator.urls, caCertPath: emulator.caCertPath, users: emulator.users, controlUrl: emulator.controlUrl, readyMs: Date.now() - started })}\n`,
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    emulator.stop().then(
      () => process.exit(0),
      (err: Error) => fail(`stop failed: ${err.message}`),
    );
  });
}
