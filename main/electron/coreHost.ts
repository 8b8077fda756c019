// Runs inside Electron's utility process (utilityProcess.fork): the core,
// off the main thread, talking to the Electron main over parentPort.
import { createSession } from '../api/auth/sessions.ts';
import { appVersion, builtRendererDir } from '../core/paths.ts';
import { startCore } from '../core/startCore.ts';

export type CoreHostMessage = { type: 'ready'; baseUrl: string; sessionToken: string } | { type: 'failed'; message: string };

const dataDir = process.argv[2];
const parentPort = process.parentPort;

async function run(): Promise<void> {
  if (!dataDir) throw new Error('coreHost needs the data directory as its first argument');
  const core = await startCore({ dataDir, port: 0, version: appVersion(), rendererDir: builtRendererDir() });
  const session = createSession(core.db, { admin: true });
  parentPort.postMessage({ type: 'ready', baseUrl: core.baseUrl, sessionToken: session.token } satisfies CoreHostMessage);
  parentPort.on('message', (event: { data: unknown }) => {
    if ((event.data as { type?: string })?.type === 'shutdown') {
      void core.close().then(() => process.exit(0));
    }
  });
}

run().catch((error: Error) => {
  parentPort.postMessage({ type: 'failed', message: error.message } satisfies CoreHostMessage);
  process.exit(1);
});
