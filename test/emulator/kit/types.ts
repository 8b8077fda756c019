/**
 * The contract between the emulator's server (test/emulator/kit/) and its
 * provider services (test/emulator/google/, test/emulator/microsoft/).
 * A service is a list of routes plus control routes and a snapshot; the
 * server owns TLS, routing, fault injection, request counters and the clock.
 */

export interface EmulatorRequest {
  method: string;
  /** Full request URL, e.g. https://127.0.0.1:PORT/gmail/v1/users/me/messages?maxResults=10 */
  url: URL;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** Values captured by ":name" segments of the route's path. */
  params: Record<string, string>;
  /** Aborted when the client hangs up before it is answered (the server sets it). */
  signal?: AbortSignal;
}

export interface EmulatorReply {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON (content-type application/json; charset=UTF-8 unless set). */
  body?: string | Buffer | object;
  /** How an object body is written: Google pretty-prints (unless prettyPrint=false), Graph sends compact JSON. Default pretty. */
  json?: 'pretty' | 'compact';
}

export type RouteHandler = (req: EmulatorRequest) => EmulatorReply | Promise<EmulatorReply>;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** "/gmail/v1/users/:userId/messages/:id"; a final ":name*" captures the rest of the path. */
  path: string;
  /** Stable name for counters, quota and faults, e.g. "gmail.users.messages.get", "graph.messages.delta". */
  endpoint: string;
  handler: RouteHandler;
}

export interface EmulatorService {
  /** "google" or "microsoft"; control routes are mounted under /_control/<name>/. */
  readonly name: string;
  readonly routes: Route[];
  readonly controlRoutes: Route[];
  /** Users this service seeded, for the start-up JSON line. */
  users(): Array<{ provider: 'google' | 'microsoft'; email: string; password?: string }>;
  /** The complete state a test compares the local index against. */
  snapshot(): unknown;
  /** Serializable state for --state FILE, and its inverse. */
  exportState(): unknown;
  importState(state: unknown): void;
  /** Optional: base URLs to print at start, e.g. { google: "https://127.0.0.1:PORT" }. */
  urls?(): Record<string, string>;
  /** Optional: the service's own answer for an unknown path it owns (e.g. Google's 404 JSON). */
  notFound?(req: EmulatorRequest): EmulatorReply | undefined;
  /** Optional: whether an endpoint name belongs to this service (for injected faults' error shape). */
  ownsEndpoint?(endpoint: string): boolean;
  /** Optional: the service's error reply for an injected 5xx/429 fault on one of its endpoints. */
  faultReply?(status: number, endpoint: string): EmulatorReply;
}

export interface EmulatorContext {
  /** https://127.0.0.1:PORT */
  readonly baseUrl: string;
  /** Current time in ms; tests may move it forward through /_control/clock. */
  now(): number;
  /** Runs a sub-request through routing, counters and faults (batch endpoints). */
  dispatch(req: Omit<EmulatorRequest, 'params'>): Promise<EmulatorReply>;
}

export type SeedSpec = { kind: 'corpus' } | { kind: 'synthetic'; count: number } | { kind: 'empty' };

/** Thrown by handlers to answer with a given reply (for example a provider's JSON error). */
export class HttpError extends Error {
  readonly reply: EmulatorReply;
  constructor(reply: EmulatorReply) {
    super(`HTTP ${reply.status}`);
    this.reply = reply;
  }
}
