// The streaming stages: record decoding, schema inference, standardization, shuffling, minibatching.
export { REJECT_REASONS, isRejected, isSample } from './sample.js';
export type { Decoded, Rejected, RejectReason, Sample } from './sample.js';
export { TASKS, classCount, featureCountOf, outputsOf, resolveSchema, schemaProblems } from './record-schema.js';
export type { RecordSchema, ResolvedSchema, SchemaProblem, Task } from './record-schema.js';
export { DEFAULT_MAX_DEPTH, DEFAULT_MAX_RECORD_BYTES, createRecordDecoder } from './decode-record.js';
export type { DecodeOptions, RecordDecoder, UnknownFeatures } from './decode-record.js';
export { decodeRecords, divertRejects } from './decode-records.js';
export { inferSchema } from './infer-schema.js';
export type { InferSchemaOptions, InferredSchema } from './infer-schema.js';
export { OnlineStandardizer } from './welford.js';
export type { StandardizerState } from './welford.js';
export { standardize } from './standardize.js';
export { shuffleBuffer } from './shuffle-buffer.js';
export type { ShuffleBufferOptions, ShuffleBufferState } from './shuffle-buffer.js';
export { toMinibatches } from './to-minibatches.js';
export type { MinibatchOptions } from './to-minibatches.js';
export { toDeadLetter } from './dead-letter.js';
export type { DeadLetter, DeadLetterReason } from './dead-letter.js';
