// The learner's HTTP server (re-exports only).
export { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_PREDICT_ROWS, startServer } from './server.js';
export type { ServerHandle, ServerOptions } from './server.js';
export { MODEL_FORMAT, snapshotModel } from './model-export.js';
export type { ModelSnapshot } from './model-export.js';
export { predictRows } from './predict.js';
export type { LiveHistoryJson, LiveHistoryOptions } from './live-history.js';
export type { LearningRatesJson, TensorRates } from './live-learning-rates.js';
export type { Prediction } from './predict.js';
