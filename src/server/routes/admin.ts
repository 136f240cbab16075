/**
 * Admin routes that change the running learner (behind the admin token, and refused with 403 when no
 * token is configured: see `requiresToken` in context.ts).
 *
 *   POST /admin/learning-rate  {"lr": 0.01}  sets the optimizer's base learning rate; answers {"lr": currentLr()}
 *   POST /admin/checkpoint                   a checkpoint at the next step boundary, once durable; answers
 *                                            {"path"?: ...} (503 checkpoint_pending when no step comes in 30 s)
 *
 * The new rate takes effect at the next step: a step is one synchronous call, so no step is ever split
 * between two rates. The optimizer's state (moments, step count) is kept, as for a compatible config change.
 */
import { parseJsonRecord } from '../../pipeline/safe-json.js';
import { HttpError, readBody, sendJson } from '../http.js';
import type { Handler } from '../context.js';

/** How long POST /admin/checkpoint waits for the checkpoint to be durable. */
const CHECKPOINT_WAIT_MS = 30_000;

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
  // The checkpoint is taken at the next step boundary: on an idle stream that may be a long way off.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new HttpError(503, 'checkpoint_pending', `no step boundary within ${CHECKPOINT_WAIT_MS / 1000} s (an idle stream?): the checkpoint is taken at the next step`)),
      CHECKPOINT_WAIT_MS,
    );
  });
  try {
    const written = await Promise.race([onCheckpointRequest(), timeout]);
    sendJson(res, 200, written?.path === undefined ? {} : { path: written.path });
  } finally {
    clearTimeout(timer);
  }
};
