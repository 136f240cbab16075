/** The catalogue of recorded streams: metadata by name, and validated access to each generator. */
import { ConfigError } from '../errors.js';
import { drift } from './drift.js';
import { imbalanced } from './imbalanced.js';
import { large } from './large.js';
import { regression } from './regression.js';
import { statsville } from './statsville.js';
import type { StreamDefinition, StreamInfo, StreamOptions, StreamRecord } from './types.js';

// Listing order is the order of the manifest and of `online-learner streams`.
const STREAMS: readonly StreamDefinition[] = [statsville, regression, imbalanced, drift, large];

export function listStreams(): StreamInfo[] {
  return STREAMS.map((stream) => stream.info);
}

export function getStream(name: string): StreamDefinition {
  for (const stream of STREAMS) if (stream.info.name === name) return stream;
  throw new ConfigError(
    `stream: unknown name ${JSON.stringify(name)}; known streams are ${STREAMS.map((s) => s.info.name).join(', ')}`,
  );
}

/** The seed and count a stream is generated with, defaults filled in and checked. */
export function resolveStreamOptions(
  info: StreamInfo,
  options: StreamOptions = {},
): { seed: number; records: number } {
  const seed = options.seed ?? info.defaultSeed;
  const records = options.records ?? info.defaultRecords;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new ConfigError(`seed: must be an integer in [0, 4294967295], got ${seed}`);
  }
  if (!Number.isSafeInteger(records) || records < 0) {
    throw new ConfigError(`records: must be a non-negative integer, got ${records}`);
  }
  return { seed, records };
}

/** The records of stream `name`, lazily; unknown names and bad options throw ConfigError up front. */
export function streamRecords(name: string, options: StreamOptions = {}): Generator<StreamRecord> {
  const stream = getStream(name);
  const { seed, records } = resolveStreamOptions(stream.info, options);
  return stream.generate(seed, records);
}
