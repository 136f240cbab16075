/**
 * POST /predict: `{"features": ...}` answers `{ step, prediction }`; `{"records": [...]}` answers
 * `{ step, predictions }` in request order. `step` is the number of optimizer steps behind the answer.
 * Bad input is a 400 whose code is the training decoder's reason code (wrong_feature_count, non_finite,
 * prototype_key, ...). Everything after the body is read runs synchronously (see predict.ts).
 */
import { readBody, sendJson } from '../http.js';
import type { Handler } from '../context.js';
import { predictRows } from '../predict.js';
import { decodePredictRequest } from '../predict-request.js';

export const predict: Handler = async (req, res, _url, { learner, predict: options }) => {
  const body = await readBody(req, options.maxBodyBytes);
  const request = decodePredictRequest(body, options);
  const predictions = predictRows(learner, request.x, request.rows);
  const step = learner.setup.trainer.steps;
  const classes = learner.config.schema.classes;
  const head = classes === undefined ? { step } : { step, classes };
  sendJson(res, 200, request.batch ? { ...head, predictions } : { ...head, prediction: predictions[0] });
};
