import type { AddressInfo } from 'node:net';
import { type ApiServer, buildApiServer } from '../api/server.ts';
import { BlobStore } from '../db/blobStore.ts';
import { type IndexDb, openIndex } from '../db/openIndex.ts';
import { blobsDir, indexPath } from './paths.ts';

export interface CoreConfig {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  version: string;
  rendererDir: string | null;
}

export interface Core {
  db: IndexDb;
  blobs: BlobStore;
  api: ApiServer;
  port: number;
  baseUrl: string;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  readonly code = 'port_in_use';
}

/** The composition root: opens the index and serves the API on 127.0.0.1 (never on other interfaces). */
export async function startCore(config: CoreConfig): Promise<Core> {
  const db = openIndex(indexPath(config.dataDir));
  const blobs = new BlobStore(db, blobsDir(config.dataDir));
  let port = config.port;
  const api = await buildApiServer({
    db,
    blobs,
    version: config.version,
    rendererDir: config.rendererDir,
    allowedPorts: () => [port],
  });
  try {
    await api.listen({ host: '127.0.0.1', port: config.port });
  } catch (error) {
    db.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new PortInUseError(`port ${config.port} on 127.0.0.1 is already in use (choose another with --port)`);
    }
    throw error;
  }
  port = (api.server.address() as AddressInfo).port;
  return {
    db,
    blobs,
    api,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await api.close();
      db.close();
    },
  };
}
