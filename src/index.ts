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
export { Adam, DEFAULT_SIMD_MIN_LENGTH } from './optim/adam.js';
export type { AdamConfig, AdamOptions } from './optim/adam.js';
export { useWasmGemm } from './math/gemm.js';
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

// Recorded streams
export { listStreams, getStream, streamRecords, writeStream, verifyStream, hashStream, hashFile, formatRecord, driftIndex, readManifest, streamsDir, streamFilePath } from './streams/index.js';
export type { StreamInfo, StreamDefinition, StreamRecord, StreamOptions, RecommendedConfig, StreamDigest, StreamVerification, VerifyStreamOptions, Manifest, ManifestEntry, WriteStreamOptions } from './streams/index.js';

// Configuration
export * from './config/index.js';

// Kafka
export { createKafkaClient, KafkaError, KAFKA_LOG_LEVELS, lag, nextOffsets } from './sources/kafka/index.js';
export type {
  BatchContext, BatchHandler, CommittedOffset, KafkaAdmin, KafkaAdminOptions, KafkaClient, KafkaClientOptions,
  KafkaConsumer, KafkaConsumerOptions, KafkaHeaders, KafkaLogEntry, KafkaLogLevel, KafkaLogSink, KafkaOrigin,
  KafkaProducer, KafkaProducerOptions, KafkaRecord, KafkaRetryOptions, KafkaSaslOptions, KafkaTlsMaterial, PartitionOffset,
  ProduceRecord, TopicPartition, TopicSpec,
} from './sources/kafka/index.js';

// Observability: Prometheus metrics, HTTP server, safetensors
export { LearnerMetrics, SAMPLE_REJECT_REASONS, BATCH_OUTCOMES, DEFAULT_PER_ELEMENT_SERIES_CAP, DEFAULT_EFFECTIVE_LR_QUANTILES, STEP_DURATION_BUCKETS_SECONDS } from './metrics/index.js';
export type { LearnerMetricsOptions, ResolvedMetricsOptions } from './metrics/index.js';
export { startServer, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_PREDICT_ROWS, snapshotModel, MODEL_FORMAT, predictRows } from './server/index.js';
export type { ServerOptions, ServerHandle, ModelSnapshot, Prediction } from './server/index.js';
export { encodeSafetensors, decodeSafetensors, SafetensorsError } from './checkpoint/safetensors.js';
export type { SafetensorsTensor, SafetensorsFile } from './checkpoint/safetensors.js';

// Running a learner (the composition used by the CLI)
export { runLearner } from './app/run-learner.js';
export type { DeadLetterSink, RunLearnerOptions } from './app/run-learner.js';
export { runTrainJob } from './app/train-job.js';
export type { RecordSource, TrainJobOptions, TrainJobResult } from './app/train-job.js';

// Kafka learner source and dead letters
export { kafkaRecordSource } from './app/kafka-source.js';
export type { KafkaRecordSource, KafkaSourceOptions } from './app/kafka-source.js';
export { kafkaSourceOf, kafkaDeadLetterSinkOf } from './app/kafka-input.js';
export { kafkaDeadLetterSink, deadLetterMessage, DEAD_LETTER_HEADERS } from './app/kafka-dead-letters.js';
export { heldRecordLimits } from './app/kafka-held-records.js';

// Replay and record
export { runReplay } from './app/replay.js';
export type { ReplayOptions, ReplayProgress, ReplaySummary } from './app/replay.js';
export { runRecord } from './app/record.js';
export type { RecordOptions, RecordSummary, RecordEnd } from './app/record.js';
export { formatRecordedLine, parseReplayLine } from './app/record-format.js';
export type { KafkaMetadata, ReplayLine } from './app/record-format.js';
export { TokenBucket, systemClock } from './app/replay-rate.js';
export type { Clock } from './app/replay-rate.js';

// Checkpoints
export * from './checkpoint/index.js';
