/**
 * Admin routes that change the running learner (behind the admin token, and refused with 403 when no
 * token is configured: see `requiresToken` in context.ts).
 *
 *   POST /admin/learning-rate  {"lr": 0.01}  sets the optimizer's base learning rate; answers {"lr": currentLr()}
 *   POST /admin/checkpoint                   asks the runner for a checkpoint now; answers {"path"?: ...}
 *
 * The new rate takes effect at the next step: a step is one synchronous call, so no step is ever split
 * between two rates. The optimizer's state (moments, step count) is kept, as for a compatible config change.
 */
import { parseJsonRecord } from '../../pipeline/safe-json.js';
import { HttpError, readBody, sendJson } from '../http.js';
import type { Handler } from '../context.js';

// {"lr": n} needs one level; a little slack keeps the error a bad_lr rather than a depth refusal.
const MAX_BODY_DEPTH = 4;

export const learningRate: Handler = async (req, res, _url, { learner, predict: limits }) => {
  const body = await readBody(req, limits.maxBodyBytes);
  const parsed = parseJsonRecord(body, { maxRecordBytes: limits.maxBodyBytes, maxDepth: MAX_BODY_DEPTH });
  if (!parsed.ok) throw new HttpError(400, parsed.reason, parsed.message);
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, 'lr')) {
    throw new HttpError(400, 'missing_lr', 'expected a JSON object {"lr": <number>}');
  }
  const lr = (value as { lr: unknown }).lr;
  // JSON has no NaN or Infinity literals, but 1e999 parses to Infinity.
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
    throw new HttpError(400, 'bad_lr', `lr: ${typeof lr === 'number' ? String(lr) : JSON.stringify(lr)} is invalid: must be a finite number >= 0`);
  }
  const { optimizer } = learner.setup;
  optimizer.setLearningRate(lr);
  sendJson(res, 200, { lr: optimizer.currentLr() });
};

export const checkpoint: Handler = async (req, res, _url, { onCheckpointRequest, predict: limits }) => {
  // The body carries nothing, but reading it (bounded) keeps keep-alive connections in a clean state.
  await readBody(req, limits.maxBodyBytes);
  if (onCheckpointRequest === null) {
    throw new HttpError(503, 'checkpoint_unavailable', 'this learner runs without checkpoints (set checkpoint.dir)');
  }
  const written = await onCheckpointRequest();
  sendJson(res, 200, written?.path === undefined ? {} : { path: written.path });
};
