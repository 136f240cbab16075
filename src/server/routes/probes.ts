/**
 * Liveness and readiness, for Kubernetes-style probes and docker-compose health checks.
 * /healthz: the process answers (200). /readyz: 200 once the runner says the learner is consuming and
 * training (ServerHandle.setReady), 503 with the reason before that and after the stream ends.
 */
import { HttpError, sendJson } from '../http.js';
import type { Handler } from '../context.js';

export const healthz: Handler = (_req, res) => {
  sendJson(res, 200, { status: 'alive' });
};

export const readyz: Handler = (_req, res, _url, { readiness }) => {
  if (!readiness.ready) throw new HttpError(503, 'not_ready', readiness.reason);
  sendJson(res, 200, { status: 'ready' });
};
