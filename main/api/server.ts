import { createHash } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { RsvpAnswer } from '../calendar/respondToEvent.ts';
import type { AccountRemoval } from '../core/accountRemoval.ts';
import type { EventBus } from '../core/eventBus.ts';
import type { Log } from '../core/log.ts';
import type { BlobStore } from '../db/blobStore.ts';
import type { ReadableDb, WritableDb } from '../db/handles.ts';
import type { EventRow } from '../db/queries/calendarEvents.ts';
import type { LabelManagement } from '../mail/labelManagement.ts';
import type { MessageOriginals } from '../mail/messageOriginals.ts';
import type { Outbox } from '../send/outbox.ts';
import type { JobQueue } from '../sync/jobQueue.ts';
import type { JobRunner } from '../sync/jobRunner.ts';
import { CredentialWatch } from './auth/credentialWatch.ts';
import { authorize, type DeclaredRoute, declaredRouteRecorder, refuseCrossOriginCredentials } from './auth/routeAuth.ts';
import { requestValidatorCompiler } from './bodyValidator.ts';
import { registerDocsPage } from './docsPage.ts';
import { answerClientError, errorReplyOf, newRequestId } from './errorReplies.ts';
import { idempotencyHooks } from './idempotency.ts';
import { checkLoopbackHost } from './loopbackHost.ts';
import { NAMED_SCHEMAS, openApiOptions } from './openapi.ts';
import { type RateLimitConfig, RateLimitedError, RateLimits, setRateLimitHeaders } from './rateLimits.ts';
import { refuseControlCharactersInQuery, registerJsonBodyParser } from './requestParsing.ts';
import { registerAccountRoutes } from './routes/accounts.ts';
import { registerAttachmentRoutes } from './routes/attachments.ts';
import { registerCalendarRoutes } from './routes/calendar.ts';
import { registerComposeDraftRoutes } from './routes/composeDrafts.ts';
import { registerConnectRoutes } from './routes/connect.ts';
import { registerContactRoutes } from './routes/contacts.ts';
import { IMPORT_BODY_LIMIT_BYTES, registerEmailImportRoutes } from './routes/emailImport.ts';
import { registerEventRoutes } from './routes/events.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerJobRoutes } from './routes/jobs.ts';
import { registerKeyRoutes } from './routes/keys.ts';
import { registerLabelRoutes } from './routes/labels.ts';
import { registerMessageRoutes } from './routes/messages.ts';
import { registerOutboxRoutes } from './routes/outbox.ts';
import { registerSearchRoutes } from './routes/search.ts';
import { registerSendRoutes, SEND_BODY_LIMIT_BYTES } from './routes/send.ts';
import { registerServiceThreadSendRoutes } from './routes/serviceThreadSend.ts';
import { registerSessionRoutes } from './routes/session.ts';
import { registerSyncRoutes } from './routes/sync.ts';
import { registerThreadRoutes } from './routes/threads.ts';
import { registerTrustedSenderRoutes } from './routes/trustedSenders.ts';
import { registerUiRoutes } from './routes/ui.ts';
import { registerWebhookRoutes } from './routes/webhooks.ts';
import type { EmailSendService } from './sendContract.ts';

export interface ApiDeps {
  /** Read-only connection for the routes that only read (main/db/openIndex.ts openReader). */
  reader: ReadableDb;
  /** The engine's writer: routes that change the index, and auth bookkeeping (a key's last use). */
  writer: WritableDb;
  /** The core's log: the API writes every 5xx there with its request id and stack. */
  log: Log;
  /** Where that log is (named in 500 answers, so a user knows where to look). */
  logDir: string;
  blobs: BlobStore;
  events: EventBus;
  jobs: JobQueue;
  runner: JobRunner;
  version: string;
  /** Built renderer (index.html + assets); the UI is not served when absent. */
  rendererDir: string | null;
  /** Ports the Host header may name; set after listen() when the port was 0. */
  allowedPorts: () => readonly number[];
  /** Overrides of the API's rate limits (tests, `outpost serve` options). */
  rateLimits?: Partial<RateLimitConfig>;
  /** The send engine behind POST /v1/email/send; absent: that route answers 503 service_unavailable. */
  send?: EmailSendService;
  /** Folders an attachment's storage_path may point into (nothing else is readable through the API). */
  attachmentRoots?: readonly string[];
  /** The send engine's outbox (its rows, send now, cancel); absent: the outbox routes answer 503. */
  outbox?: Outbox;
  /** Delivers due outbox rows now (after "send now"). */
  deliverNow?: () => void;
  /** Starts connecting an account (main/core/accountConnector.ts); absent: POST /v1/accounts/connect answers 503. */
  connectAccount?: (provider: 'google' | 'microsoft') => Promise<{ authorizationUrl: string }>;
  /** Removes an account and its data from this computer (main/core/accountRemoval.ts); absent: 503. */
  removeAccount?: (accountId: string) => Promise<AccountRemoval>;
  /** Answers an invitation at the provider and in the index (main/calendar/respondToEvent.ts); absent: 503. */
  respondToEvent?: (eventId: number, answer: RsvpAnswer) => Promise<EventRow>;
  /** Labels and folders made, renamed, deleted at the provider (main/mail/labelManagement.ts); absent: 503. */
  labels?: LabelManagement;
  /** Originals not kept at sync, fetched from the provider on first request (main/mail/messageOriginals.ts); absent: 409. */
  originals?: MessageOriginals;
}

export type ApiServer = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

const BODY_LIMIT_BYTES = 1024 * 1024;
const BODY_TOO_LARGE = `request body is larger than ${BODY_LIMIT_BYTES} bytes (${SEND_BODY_LIMIT_BYTES} for /v1/email/send, ${IMPORT_BODY_LIMIT_BYTES} for /v1/email/import)`;

/** Builds the HTTP API (not listening): tests drive it with inject(), the core calls listen(). */
export async function buildApiServer(deps: ApiDeps): Promise<ApiServer> {
  // The one place errors become responses: the catalogue's status and code (main/api/errorReplies.ts).
  const sendError = (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const { status, code, message, field, details } = errorReplyOf(error, { message: BODY_TOO_LARGE }) ?? {
      status: 500,
      code: 'internal_error',
      message: `internal error; see the log in ${deps.logDir} (request ${request.id})`,
    };
    if (error instanceof RateLimitedError) setRateLimitHeaders(reply, error.state);
    // Logged once, here; the request id (bound by the logger) is the one the caller got in X-Request-ID.
    if (status >= 500)
      request.log.error({ method: request.method, route: request.url.split('?')[0], err: error }, 'request failed');
    void reply
      .status(status)
      .header('X-Request-ID', request.id)
      .header('content-type', 'application/json; charset=utf-8')
      .send({ code, message, request_id: request.id, ...(field ? { field } : {}), ...(details ? { details } : {}) });
  };
  const app = Fastify({
    // The core's log, one line per failure: no per-request lines (a request's path can carry a user's words).
    loggerInstance: deps.log.child({ component: 'api' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: newRequestId,
    // Errors the router meets before any route or hook runs (a malformed percent-encoding, a parameter over
    // maxParamLength): the same answer as every error, with the general budget's X-RateLimit-* (no route, no hooks).
    frameworkErrors: (error, request, reply) => {
      setRateLimitHeaders(reply, limits.takeRequest(principalKey(request)));
      sendError(error, request, reply);
    },
    // What Node's parser refuses before a request exists (bad bytes in the request line or a header, headers
    // too large): the catalogue's JSON with a request id, written to the socket.
    clientErrorHandler: answerClientError,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Every route declares who may call it (config.auth); one that does not stops the server from being built.
  const declaredRoutes: DeclaredRoute[] = [];
  app.addHook('onRoute', declaredRouteRecorder(declaredRoutes));
  app.decorate('declaredRoutes', declaredRoutes);
  app.decorateRequest('principal', null);

  app.setValidatorCompiler(requestValidatorCompiler());
  registerJsonBodyParser(app);
  for (const schema of NAMED_SCHEMAS) app.addSchema(schema);
  await app.register(fastifyCookie);
  // The document at /openapi.json (and /docs): main/api/openapi.ts.
  await app.register(fastifySwagger, openApiOptions(deps.version));

  const limits = new RateLimits(deps.writer, deps.rateLimits);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-ID', request.id);
    setRateLimitHeaders(reply, reportedLimit(limits, request));
    checkLoopbackHost(request.headers.host, deps.allowedPorts());
    // A session or the session cookie from a page of another origin (another port, localhost): 403 before the body is read.
    refuseCrossOriginCredentials(request);
  });
  // Who may call runs once, before validation (a request without credentials is 401, not 400); handlers read request.principal.
  app.addHook('preValidation', async (request) => {
    if (!request.is404) request.principal = authorize(deps.writer, request, request.routeOptions.config.auth);
    refuseControlCharactersInQuery(request);
    // The references' examples POST without a body; an absent body is the empty object (all defaults).
    if (request.body === undefined && request.routeOptions.schema?.body) request.body = {};
  });
  const idempotency = idempotencyHooks(deps.writer);
  app.addHook('preHandler', idempotency.preHandler);
  app.addHook('onSend', idempotency.onSend);

  app.setErrorHandler(sendError);
  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .send({ code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}`, request_id: request.id });
  });

  registerHealthRoutes(app, deps);
  registerSessionRoutes(app);
  registerThreadRoutes(app, deps);
  registerLabelRoutes(app, deps);
  registerSearchRoutes(app, deps);
  registerCalendarRoutes(app, deps);
  registerSyncRoutes(app, { ...deps, limits });
  // Open event streams end when their key is revoked (DELETE /v1/keys/{id}) or their credential lapses.
  const credentials = new CredentialWatch(deps.reader, deps.log.child({ component: 'api' }));
  registerKeyRoutes(app, { ...deps, credentials });
  registerAccountRoutes(app, deps);
  registerJobRoutes(app, deps);
  registerConnectRoutes(app, deps);
  registerAttachmentRoutes(app, deps);
  registerMessageRoutes(app, deps);
  registerTrustedSenderRoutes(app, deps);
  registerContactRoutes(app, deps);
  registerComposeDraftRoutes(app, deps);
  registerEmailImportRoutes(app, deps);
  registerWebhookRoutes(app, deps);
  registerEventRoutes(app, { ...deps, credentials });
  registerSendRoutes(app, { ...deps, limits });
  registerServiceThreadSendRoutes(app, { ...deps, limits });
  registerOutboxRoutes(app, deps);
  app.get('/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());
  registerDocsPage(app);
  if (deps.rendererDir) await registerUiRoutes(app, deps.rendererDir);
  return app;
}

/**
 * The limit a response reports in X-RateLimit-*: sync routes their own
 * on-demand sync cap, send the daily send cap (both consumed by the handler),
 * every other route (and the UI's own Sync now) the caller's general
 * per-minute budget, consumed here.
 */
function reportedLimit(limits: RateLimits, request: FastifyRequest) {
  const kind = request.routeOptions.config?.rateLimit;
  const capped = kind === 'sync' ? limits.peekSync(request) : kind === 'send' ? limits.peekSend() : null;
  return capped ?? limits.takeRequest(principalKey(request));
}

/** Whose general budget a request spends: a hash of the credential it presents, or the anonymous one. */
function principalKey(request: FastifyRequest): string {
  const credential =
    request.headers.authorization ??
    request.headers['x-dolfin-api-key'] ??
    request.cookies?.['authjs.session-token'] ??
    'anonymous';
  return createHash('sha256').update(String(credential)).digest('hex').slice(0, 32);
}
