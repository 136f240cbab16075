// Checkpoints (DESIGN.md §2): format, capture and restore, stores, triggers. Re-exports only.
export { CHECKPOINT_FORMAT } from './types.js';
export type { Checkpoint, CheckpointPosition, CheckpointStore, LoadedCheckpoint, ModelSignature, SavedCheckpoint } from './types.js';
export { CheckpointCorruptError, CheckpointIncompatibleError } from './errors.js';
export { captureLearnerState } from './capture.js';
export type { CaptureOptions } from './capture.js';
export { restoreLearnerState } from './restore.js';
export type { RestoreOptions, RestoreReport } from './restore.js';
export { encodeCheckpoint, decodeCheckpoint } from './codec.js';
export { PositionTracker } from './position.js';
export { CheckpointTrigger } from './trigger.js';
export type { CheckpointReason, CheckpointTriggerOptions } from './trigger.js';
export { Checkpointer, restoreLatest } from './checkpointer.js';
export type { CheckpointerOptions } from './checkpointer.js';
export { DirectoryCheckpointStore } from './directory-store.js';
export type { DirectoryStoreOptions } from './directory-store.js';
export { KafkaCheckpointStore } from './kafka-store.js';
export type { KafkaStoreOptions } from './kafka-store.js';
