/**
 * The learner's HTTP server (node:http, no framework): a fixed route table, JSON errors with stable
 * codes, size limits, and an optional admin token.
 *
 *   GET  /metrics   Prometheus text format            GET  /status    JSON summary
 *   GET  /healthz   200 while the process answers     POST /predict   predictions of the current model
 *   GET  /readyz    200 when consuming and training   GET  /model     parameters (safetensors or ?format=json)
 *   GET  /          the live page (and its assets)    GET  /live      what the live page polls
 *   POST /admin/learning-rate, POST /admin/checkpoint   (token required; see routes/admin.ts)
 *
 * It shares the event loop with training. That is what makes /predict and /model consistent without
 * locks (a step is one synchronous call; see predict.ts), and why request work is bounded by
 * maxBodyBytes and maxPredictRows: a handler's synchronous part delays the next step by as much.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../errors.js';
import type { LearnerMetrics } from '../metrics/learner-metrics.js';
import { DEFAULT_MAX_DEPTH } from '../pipeline/decode-record.js';
import type { Learner } from '../pipeline/learner.js';
import { resolveSchema } from '../pipeline/record-schema.js';
import type { Readiness, Route, ServerContext } from './context.js';
import { HttpError, sendError } from './http.js';
import { LiveHistory } from './live-history.js';
import type { LiveHistoryOptions } from './live-history.js';
import { LiveLearningRates } from './live-learning-rates.js';
import { checkpoint, learningRate } from './routes/admin.js';
import { live } from './routes/live.js';
import { metrics } from './routes/metrics.js';
import { model } from './routes/model.js';
import { pageRoutes } from './routes/page.js';
import { predict } from './routes/predict.js';
import { healthz, readyz } from './routes/probes.js';
import { status } from './routes/status.js';

export interface ServerOptions {
  readonly learner: Learner;
  readonly metrics: LearnerMetrics;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** Loopback by default; '0.0.0.0' to serve other machines (containers). */
  readonly host?: string;
  /**
   * When set, admin routes require `Authorization: Bearer <adminToken>`. Unset: GET /model is open and
   * the routes that change the learner (POST /admin/*) answer 403.
   */
  readonly adminToken?: string;
  /** What POST /admin/checkpoint calls (e.g. the train job's checkpointer); unset: that route answers 503. */
  readonly onCheckpointRequest?: () => Promise<{ readonly path?: string } | void>;
  /** Largest request body, in bytes (413 beyond). */
  readonly maxBodyBytes?: number;
  /** Most records in one POST /predict (413 beyond). */
  readonly maxPredictRows?: number;
  /** What /status shows as config, secrets redacted; default: the learner's config. */
  readonly config?: unknown;
  /** Initial readiness (the runner calls setReady as it starts and stops consuming). */
  readonly ready?: boolean;
  /** Errors that are not the client's fault (500s); default: a line on stderr. */
  readonly onError?: (err: unknown) => void;
  /**
   * The live page's learning curve (points kept, sampling period) and the largest model whose
   * effective learning rates /live sends per element (per-tensor statistics beyond).
   */
  readonly live?: LiveHistoryOptions & { readonly maxElements?: number };
}

export interface ServerHandle {
  /** e.g. http://127.0.0.1:9464 */
  readonly url: string;
  readonly port: number;
  /** The runner's word on /readyz: true while consuming and training. */
  setReady(ready: boolean, reason?: string): void;
  /** Stops accepting, closes open connections (keep-alive included) and resolves when the server is closed. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_MAX_PREDICT_ROWS = 1024;
const NOT_STARTED = 'the learner is not consuming yet';
/**
 * Pending connections the kernel queues until the event loop accepts them (capped by net.core.somaxconn).
 * A training step holds the event loop for its duration, so a burst of clients connecting at once
 * (1,000 in test/integration/predict-load.test.ts) overflows Node's default of 511, and Linux answers
 * the overflow with dropped handshakes and resets.
 */
const LISTEN_BACKLOG = 2048;

const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  ['/metrics', { methods: { GET: metrics } }],
  ['/healthz', { methods: { GET: healthz } }],
  ['/readyz', { methods: { GET: readyz } }],
  ['/status', { methods: { GET: status } }],
  ['/predict', { methods: { POST: predict } }],
  ['/model', { methods: { GET: model }, admin: true }],
  ['/live', { methods: { GET: live } }],
  ['/admin/learning-rate', { methods: { POST: learningRate }, admin: true, requiresToken: true }],
  ['/admin/checkpoint', { methods: { POST: checkpoint }, admin: true, requiresToken: true }],
  ...pageRoutes,
]);

export async function startServer(options: ServerOptions): Promise<ServerHandle> {
  const {
    learner,
    host = '127.0.0.1',
    port,
    adminToken,
    maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
    maxPredictRows = DEFAULT_MAX_PREDICT_ROWS,
    onError = (err: unknown) => process.stderr.write(`online-learner server: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`),
  } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`server.port: ${port} is invalid: must be an integer in [0, 65535]`);
  }
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new ConfigError(`server.maxBodyBytes: ${maxBodyBytes} is invalid: must be an integer >= 1`);
  }
  if (!Number.isSafeInteger(maxPredictRows) || maxPredictRows < 1) {
    throw new ConfigError(`server.maxPredictRows: ${maxPredictRows} is invalid: must be an integer >= 1`);
  }
  if (adminToken !== undefined && adminToken.length < 16) {
    throw new ConfigError('server.adminToken: is too short: use at least 16 characters (e.g. openssl rand -hex 32)');
  }

  const readiness: Readiness = { ready: options.ready ?? false, reason: NOT_STARTED };
  const history = new LiveHistory(learner, options.live);
  const learningRates = new LiveLearningRates(learner, options.live?.maxElements);
  const context: ServerContext = {
    learner,
    metrics: options.metrics,
    readiness,
    config: options.config ?? learner.config,
    adminToken: adminToken ?? null,
    onCheckpointRequest: options.onCheckpointRequest ?? null,
    live: { history, learningRates },
    predict: {
      schema: resolveSchema(learner.config.schema),
      dtype: learner.setup.model.dtype,
      unknownFeatures: learner.config.decode?.unknownFeatures ?? 'reject',
      maxBodyBytes,
      maxDepth: learner.config.decode?.maxDepth ?? DEFAULT_MAX_DEPTH,
      maxRows: maxPredictRows,
    },
  };

  const server = createServer((req, res) => {
    handle(req, res, context).catch((err: unknown) => {
      if (!(err instanceof HttpError)) onError(err);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendError(res, err instanceof HttpError ? err : new HttpError(500, 'internal', 'internal error (details in the learner log)'));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  history.start();
  const bound = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${bound}`,
    port: bound,
    setReady(ready, reason = ready ? '' : 'the learner is not consuming') {
      readiness.ready = ready;
      readiness.reason = reason;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        history.stop();
        server.close((err) => (err === undefined ? resolve() : reject(err)));
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, context: ServerContext): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const route = ROUTES.get(url.pathname);
  if (route === undefined) throw new HttpError(404, 'not_found', `no route ${url.pathname}; try ${[...ROUTES.keys()].join(', ')}`);
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const handler = method === 'GET' || method === 'POST' ? route.methods[method] : undefined;
  if (handler === undefined) {
    const allowed = Object.keys(route.methods).flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));
    throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed on ${url.pathname}; use ${allowed.join(', ')}`, {
      allow: allowed.join(', '),
    });
  }
  if (route.requiresToken === true && context.adminToken === null) {
    throw new HttpError(403, 'admin_disabled', `${url.pathname} changes the learner and needs an admin token; none is configured (LEARNER_ADMIN_TOKEN)`);
  }
  if (route.admin === true && context.adminToken !== null) authorize(req, context.adminToken);
  await handler(req, res, url, context);
}

/** Bearer token check in constant time: hashing first gives equal lengths, so length leaks nothing either. */
function authorize(req: IncomingMessage, token: string): void {
  const header = req.headers.authorization ?? '';
  const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
  const digest = (s: string) => createHash('sha256').update(s).digest();
  if (!timingSafeEqual(digest(given), digest(token))) {
    throw new HttpError(401, 'unauthorized', 'this route needs the admin token: Authorization: Bearer <token>', { 'www-authenticate': 'Bearer' });
  }
}
