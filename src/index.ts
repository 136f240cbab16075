// The public library API: re-exports only.

// Tensors, randomness, errors
export type { Tensor, DType, ParamMap } from './math/tensor.js';
export { Rng } from './math/rng.js';
export type { RngState } from './math/rng.js';
export { LearnerError, ConfigError, ShapeError } from './errors.js';

// Models
export { createModel, MODEL_TYPES } from './model/registry.js';
export type { CreateModelOptions } from './model/registry.js';
export type { Model, ModelConfig, ModelType, Activation, OutputActivation, Initializer } from './model/types.js';

// Losses
export { createLoss, lossInputKind, lossTask, LOSS_TYPES } from './losses/registry.js';
export { LossInputError } from './losses/validation.js';
export type { Loss, LossConfig, LossInput, LossResult, LossTask, LossType, Reduction, Targets } from './losses/types.js';

// Optimizers, schedules, regularization
export { createOptimizer, OPTIMIZER_TYPES } from './optim/registry.js';
export type { Optimizer, OptimizerConfig, OptimizerState, OptimizerType, LearningRate, ScheduleConfig } from './optim/types.js';
export { toSchedule } from './optim/schedules.js';
export type { Schedule } from './optim/schedules.js';
export { l2Penalty, addL2Gradient, l1Penalty, addL1Subgradient, proximalL1 } from './optim/regularizers.js';
export type { RegularizerOptions } from './optim/regularizers.js';
export { clipGradNorm, globalGradNorm } from './optim/clip.js';

// Training
export { Trainer } from './training/trainer.js';
export type { TrainerOptions, StepReport, StepRejection, RegularizationConfig, TrainerState } from './training/trainer.js';
export { createTrainingSetup } from './training/setup.js';
export type { LearnerSpec, ModelSpec, TrainingSetup } from './training/setup.js';
export { MinibatchAssembler } from './training/minibatch.js';
export type { LabeledExample, Minibatch } from './training/minibatch.js';
export { PrequentialQuality } from './training/quality.js';
export type { QualitySnapshot, OutputKind } from './training/quality.js';

// Streaming pipeline
export { Learner } from './pipeline/learner.js';
export type { LearnerConfig, LearnerEvent, LearnerSummary, LearnerRunOptions } from './pipeline/learner.js';
export * from './pipeline/index.js';
export type { SourceRecord, Origin } from './sources/types.js';
export { readJsonl, JsonlSink } from './sources/file/index.js';
export type { JsonlSourceOptions, JsonlSinkOptions } from './sources/file/index.js';
