/** GET /metrics: the learner's registry in the Prometheus text format (collect() callbacks run now). */
import type { Handler } from '../context.js';

export const metrics: Handler = async (_req, res, _url, context) => {
  const { registry } = context.metrics;
  const text = await registry.metrics();
  res.writeHead(200, { 'content-type': registry.contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
};
