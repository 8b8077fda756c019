import { OutpostError } from '../core/outpostError.ts';

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Refuses requests whose Host is not this server's loopback address. A web
 * page can point its own DNS name at 127.0.0.1 (DNS rebinding); its requests
 * then carry that name in Host, and are turned away here.
 */
export function checkLoopbackHost(host: string | undefined, allowedPorts: readonly number[]): void {
  if (!host) throw new OutpostError('forbidden_host', 'missing Host header');
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host);
  const name = match?.[1]?.toLowerCase();
  const port = match?.[2] ? Number(match[2]) : 80;
  if (!name || !LOOPBACK_NAMES.has(name) || !allowedPorts.includes(port)) {
    throw new OutpostError('forbidden_host', `Host "${host.slice(0, 100)}" is not this Outpost's loopback address`);
  }
}
