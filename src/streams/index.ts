// Recorded streams: generators, catalogue, canonical bytes, files and manifest (re-exports only).
export { listStreams, getStream, streamRecords, resolveStreamOptions } from './catalogue.js';
export { formatRecord, roundTo } from './canonical.js';
export { canonicalChunks, hashStream, StreamHasher } from './checksum.js';
export type { StreamDigest } from './checksum.js';
export { driftIndex } from './drift.js';
export {
  CANONICAL_FORM,
  GENERATED,
  MANIFEST_FILE,
  PREFIX_RECORDS,
  manifestEntry,
  readManifest,
  streamFilePath,
  streamsDir,
} from './manifest.js';
export type { Manifest, ManifestEntry } from './manifest.js';
export { hashFile, verifyStream } from './verify.js';
export type { StreamVerification, VerifyStreamOptions } from './verify.js';
export { writeStream } from './write.js';
export type { WriteStreamOptions } from './write.js';
export type {
  FeatureFormat,
  LabelFormat,
  RecommendedConfig,
  StreamDefinition,
  StreamInfo,
  StreamOptions,
  StreamRecord,
  StreamTask,
} from './types.js';
