// Files as sources and sinks: .jsonl / .jsonl.gz streams, recordings, dead letters.
export { readJsonl } from './jsonl-source.js';
export type { JsonlSourceOptions } from './jsonl-source.js';
export { JsonlSink } from './jsonl-sink.js';
export type { JsonlSinkOptions } from './jsonl-sink.js';
