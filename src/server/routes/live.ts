/**
 * GET /live: what the page at GET / polls. The recent learning curve (live-history.ts), the current
 * per-tensor effective learning rates (live-learning-rates.ts) and a few headline figures, in one
 * small JSON document. Not cached by the browser: every poll must see the learner as it is now.
 */
import { sendJson } from '../http.js';
import type { Handler } from '../context.js';

export const live: Handler = (_req, res, _url, { learner, readiness, live: { history, learningRates } }) => {
  const { trainer, model, optimizer } = learner.setup;
  const c = learner.counters;
  let rejected = c.samplesRefused;
  for (const reason in c.rejected) rejected += c.rejected[reason];
  sendJson(
    res,
    200,
    {
      timeMs: Date.now(),
      ready: readiness.ready,
      task: learner.config.schema.task,
      model: { type: model.type, parameters: model.parameterCount() },
      step: trainer.steps,
      records: c.records,
      samples: c.samplesTrained,
      rejected,
      learningRate: optimizer.currentLr(),
      history: history.toJSON(),
      learningRates: learningRates.snapshot(),
    },
    { 'cache-control': 'no-store' },
  );
};
