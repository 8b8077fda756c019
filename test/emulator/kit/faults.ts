/** Fault injection per endpoint name (or prefix), deterministic through a seeded RNG. */

/**
 * latency: wait before handling; status / rateLimit: answer an error instead;
 * reset: handle, then drop the connection unanswered (the client cannot know
 * the request took effect); truncate: send half the answer; stall: handle, then
 * hold the answer for latencyMs (a window to kill a client after the service acted).
 */
export type FaultKind = 'latency' | 'status' | 'rateLimit' | 'reset' | 'truncate' | 'stall';

export interface FaultRule {
  /** Endpoint name ("gmail.users.messages.get") or prefix ending in "*" ("gmail.*"); "*" matches all. */
  endpoint: string;
  kind: FaultKind;
  /** For kind "status" (default 503) and "rateLimit" (default 429). */
  status?: number;
  /** For kinds "latency" and "stall". */
  latencyMs?: number;
  /** Apply to the next N matching requests, then retire. */
  count?: number;
  /** Apply with this probability (0..1) to each matching request; default 1. */
  probability?: number;
  /** Sent as Retry-After (seconds) with rateLimit faults. */
  retryAfter?: number;
}

/** mulberry32: small, fast and deterministic; the same seed gives the same fault sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultTable {
  private rules: FaultRule[] = [];
  private random: () => number;

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  set(rules: FaultRule[], seed?: number): void {
    for (const rule of rules) validateRule(rule);
    this.rules = rules.map((r) => ({ ...r }));
    if (seed !== undefined) this.random = seededRandom(seed);
  }

  add(rule: FaultRule): void {
    validateRule(rule);
    this.rules.push({ ...rule });
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  clear(): void {
    this.rules = [];
  }

  /** The faults that fire for this request, consuming counts. */
  pick(endpoint: string): FaultRule[] {
    const fired: FaultRule[] = [];
    for (const rule of this.rules) {
      if (!matches(rule.endpoint, endpoint)) continue;
      if (rule.count !== undefined && rule.count <= 0) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      if (rule.count !== undefined) rule.count -= 1;
      fired.push(rule);
    }
    this.rules = this.rules.filter((r) => r.count === undefined || r.count > 0);
    return fired;
  }
}

function matches(pattern: string, endpoint: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return endpoint.startsWith(pattern.slice(0, -1));
  return pattern === endpoint;
}

function validateRule(rule: FaultRule): void {
  const kinds: FaultKind[] = ['latency', 'status', 'rateLimit', 'reset', 'truncate', 'stall'];
  if (typeof rule.endpoint !== 'string' || !kinds.includes(rule.kind)) {
    throw new Error(`invalid fault rule: ${JSON.stringify(rule)}`);
  }
}
