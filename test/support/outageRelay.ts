import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay in front of the emulator that can go down and come back on the
 * same port: down means connections refused, as when the network or the
 * provider is unreachable (TLS passes through untouched).
 */
export class OutageRelay {
  #server: Server | null = null;
  #sockets = new Set<Socket>();
  port = 0;
  readonly target: number;
  constructor(target: number) {
    this.target = target;
  }

  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  async down(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
    this.#server = null;
  }
}
