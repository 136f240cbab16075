/** GET /status: a JSON summary for people and scripts: progress, quality, schema and (redacted) config. */
import { sendJson } from '../http.js';
import type { Handler } from '../context.js';
import { redactSecrets } from '../redact.js';

export const status: Handler = (_req, res, _url, { learner, metrics, readiness, config }) => {
  const { model, trainer } = learner.setup;
  sendJson(res, 200, {
    ready: readiness.ready,
    ...(readiness.ready ? {} : { notReadyReason: readiness.reason }),
    version: metrics.options.version,
    uptimeSeconds: process.uptime(),
    step: trainer.steps,
    parameters: model.parameterCount(),
    summary: learner.summary(),
    schema: learner.config.schema,
    config: redactSecrets(config),
  });
};
