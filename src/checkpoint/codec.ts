/**
 * A checkpoint as ONE safetensors file (so one rename publishes it atomically, and Python opens it with
 * `safetensors.numpy.load_file`):
 *
 *   tensors     model parameters under their own names (`dense0.weight` (out, in), `dense0.bias`, ...),
 *               optimizer slots as `optimizer/<param>/<slot>` (torch's state names, the parameter's shape),
 *               `standardizer/mean` and `standardizer/m2` (F64), and `residents/x` [residents, features]
 *               (the shuffle buffer's standardized features, in buffer order; absent when empty)
 *   metadata    format   "online-learner/checkpoint@1"
 *               meta     JSON (exact-json.ts: NaN, Infinity and -0 survive): created time, config hash and
 *                        model signature, the full learner config, optimizer type and step, trainer state
 *                        (quality windows, running loss), RNG states, standardizer count, residents' labels,
 *                        weights, ids and origins, counters, stream position
 *               sha256   hex digest of  format "\n" meta "\n" data bytes  (every tensor byte)
 *
 * Reading checks, in order: a well-formed safetensors file, the format, the checksum, the JSON, the
 * fields; any failure is a CheckpointCorruptError saying which. A truncated file fails the first or the
 * third check.
 */
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { endianness } from 'node:os';
import type { RngState } from '../math/rng.js';
import type { Tensor } from '../math/tensor.js';
import type { OptimizerState } from '../optim/types.js';
import type { LearnerConfig, LearnerCounters } from '../pipeline/learner.js';
import type { Sample } from '../pipeline/sample.js';
import type { Origin } from '../sources/types.js';
import type { TrainerState } from '../training/trainer.js';
import { CheckpointCorruptError } from './errors.js';
import { parseExact, stringifyExact } from './exact-json.js';
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from './safetensors.js';
import type { SafetensorsTensor } from './safetensors.js';
import { CHECKPOINT_FORMAT } from './types.js';
import type { Checkpoint, CheckpointPosition, ModelSignature } from './types.js';

const SLOT_PREFIX = 'optimizer/';
const MEAN = 'standardizer/mean';
const M2 = 'standardizer/m2';
const RESIDENTS_X = 'residents/x';
const HEADER_LENGTH_BYTES = 8;
const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/** A shuffle-buffer resident without its features (those are a row of `residents/x`). */
interface ResidentMeta {
  readonly y: number | number[];
  readonly weight: number;
  readonly id?: string;
  readonly origin: Origin;
}

/** The JSON half of the file. */
interface Meta {
  readonly createdAt: string;
  readonly configHash: string;
  readonly signature: ModelSignature;
  readonly config: LearnerConfig;
  readonly optimizer: { readonly type: OptimizerState['type']; readonly step: number; readonly slots: readonly string[] };
  readonly trainer: TrainerState;
  readonly rng: { readonly dropout: RngState; readonly shuffle: RngState };
  readonly standardizer: { readonly count: number } | null;
  readonly residents: ReadonlyArray<ResidentMeta>;
  readonly counters: LearnerCounters;
  readonly position: CheckpointPosition;
}

type FieldKind = 'string' | 'object' | 'array' | 'object|null';
const KIND_TEXT: Readonly<Record<FieldKind, string>> = { string: 'a string', object: 'an object', array: 'an array', 'object|null': 'an object or null' };

const META_FIELDS: ReadonlyArray<[keyof Meta, FieldKind]> = [
  ['createdAt', 'string'],
  ['configHash', 'string'],
  ['signature', 'object'],
  ['config', 'object'],
  ['optimizer', 'object'],
  ['trainer', 'object'],
  ['rng', 'object'],
  ['standardizer', 'object|null'],
  ['residents', 'array'],
  ['counters', 'object'],
  ['position', 'object'],
];

export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const tensors: Record<string, SafetensorsTensor> = { ...checkpoint.parameters };
  const slotKeys = Object.keys(checkpoint.optimizer.slots);
  for (const key of slotKeys) {
    const data = checkpoint.optimizer.slots[key];
    const param = checkpoint.parameters[key.slice(0, key.lastIndexOf('/'))];
    tensors[SLOT_PREFIX + key] = { shape: param !== undefined && param.data.length === data.length ? param.shape : [data.length], data };
  }
  if (checkpoint.standardizer !== null) {
    tensors[MEAN] = { shape: [checkpoint.standardizer.mean.length], data: checkpoint.standardizer.mean };
    tensors[M2] = { shape: [checkpoint.standardizer.m2.length], data: checkpoint.standardizer.m2 };
  }
  if (checkpoint.residents.length > 0) tensors[RESIDENTS_X] = residentFeatures(checkpoint.residents);

  const meta: Meta = {
    createdAt: checkpoint.createdAt,
    configHash: checkpoint.configHash,
    signature: checkpoint.signature,
    config: checkpoint.config,
    optimizer: { type: checkpoint.optimizer.type, step: checkpoint.optimizer.step, slots: slotKeys },
    trainer: checkpoint.trainer,
    rng: checkpoint.rng,
    standardizer: checkpoint.standardizer === null ? null : { count: checkpoint.standardizer.count },
    residents: checkpoint.residents.map(({ y, weight, id, origin }) => ({
      y: typeof y === 'number' ? y : Array.from(y),
      weight,
      ...(id === undefined ? {} : { id }),
      origin,
    })),
    counters: checkpoint.counters,
    position: checkpoint.position,
  };
  const metaText = stringifyExact(meta);
  const digest = startDigest(metaText);
  // encodeSafetensors lays the data out in Object.entries order: the same order is hashed here.
  for (const [, tensor] of Object.entries(tensors)) digest.update(littleEndianBytes(tensor.data));
  return encodeSafetensors(tensors, { format: CHECKPOINT_FORMAT, meta: metaText, sha256: digest.digest('hex') });
}

export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  let file;
  try {
    file = decodeSafetensors(bytes);
  } catch (err) {
    if (err instanceof SafetensorsError) {
      throw new CheckpointCorruptError(`not a readable safetensors file: ${err.message}`, { cause: err });
    }
    throw err;
  }
  const { format, meta: metaText, sha256 } = file.metadata;
  if (format !== CHECKPOINT_FORMAT) {
    throw new CheckpointCorruptError(`metadata format is ${JSON.stringify(format)}, expected "${CHECKPOINT_FORMAT}"`);
  }
  if (typeof metaText !== 'string' || typeof sha256 !== 'string') throw new CheckpointCorruptError('metadata lacks "meta" or "sha256"');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // decodeSafetensors has validated the header length, so the data region starts right after it.
  const dataStart = HEADER_LENGTH_BYTES + Number(view.getBigUint64(0, true));
  const actual = startDigest(metaText).update(bytes.subarray(dataStart)).digest('hex');
  if (actual !== sha256) throw new CheckpointCorruptError(`checksum mismatch: stored sha256 ${sha256}, content hashes to ${actual}`);

  let parsed: unknown;
  try {
    parsed = parseExact(metaText);
  } catch (err) {
    throw new CheckpointCorruptError(`metadata "meta" is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const meta = checkMeta(parsed);
  const tensor = (name: string): SafetensorsTensor => {
    const found = file.tensors.get(name);
    if (found === undefined) throw new CheckpointCorruptError(`tensor "${name}" is missing`);
    return found;
  };

  const parameters: Record<string, SafetensorsTensor> = {};
  for (const name of Object.keys(meta.signature.model.parameters)) parameters[name] = tensor(name);
  const slots: Record<string, Tensor> = {};
  for (const key of meta.optimizer.slots) slots[key] = tensor(SLOT_PREFIX + key).data;
  let standardizer = null;
  if (meta.standardizer !== null) {
    const mean = tensor(MEAN).data;
    const m2 = tensor(M2).data;
    if (!(mean instanceof Float64Array) || !(m2 instanceof Float64Array)) {
      throw new CheckpointCorruptError('standardizer tensors must be F64');
    }
    standardizer = { count: meta.standardizer.count, mean, m2 };
  }
  return {
    createdAt: meta.createdAt,
    configHash: meta.configHash,
    signature: meta.signature,
    config: meta.config,
    parameters,
    optimizer: { type: meta.optimizer.type, step: meta.optimizer.step, slots },
    trainer: meta.trainer,
    rng: meta.rng,
    standardizer,
    residents: meta.residents.length === 0 ? [] : residentsOf(meta.residents, tensor(RESIDENTS_X)),
    counters: meta.counters,
    position: meta.position,
  };
}

function startDigest(metaText: string): Hash {
  return createHash('sha256').update(CHECKPOINT_FORMAT).update('\n').update(metaText).update('\n');
}

/** The bytes safetensors stores for `data`: little-endian, whatever the host. */
function littleEndianBytes(data: Tensor): Uint8Array {
  if (LITTLE_ENDIAN_HOST) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  if (data instanceof Float64Array) for (let i = 0; i < data.length; i++) view.setFloat64(i * 8, data[i], true);
  else for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return out;
}

function residentFeatures(residents: readonly Sample[]): SafetensorsTensor {
  const features = residents[0].x.length;
  const length = residents.length * features;
  const data = residents[0].x instanceof Float64Array ? new Float64Array(length) : new Float32Array(length);
  for (let r = 0; r < residents.length; r++) data.set(residents[r].x, r * features);
  return { shape: [residents.length, features], data };
}

function residentsOf(rows: Meta['residents'], x: SafetensorsTensor): Sample[] {
  if (x.shape.length !== 2 || x.shape[0] !== rows.length) {
    throw new CheckpointCorruptError(`tensor "${RESIDENTS_X}" has shape [${x.shape.join(', ')}] for ${rows.length} residents`);
  }
  const features = x.shape[1];
  return rows.map(({ y, weight, id, origin }, r) => ({
    kind: 'sample',
    x: x.data.slice(r * features, (r + 1) * features),
    y: typeof y === 'number' ? y : Float64Array.from(y),
    weight,
    ...(id === undefined ? {} : { id }),
    origin,
  }));
}

function checkMeta(value: unknown): Meta {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CheckpointCorruptError('metadata "meta" is not a JSON object');
  }
  const meta = value as Record<string, unknown>;
  for (const [field, kind] of META_FIELDS) {
    const v = meta[field];
    const ok =
      kind === 'string' ? typeof v === 'string'
      : kind === 'array' ? Array.isArray(v)
      : kind === 'object|null' ? v === null || (typeof v === 'object' && !Array.isArray(v))
      : typeof v === 'object' && v !== null && !Array.isArray(v);
    if (!ok) throw new CheckpointCorruptError(`meta.${field} must be ${KIND_TEXT[kind]}`);
  }
  return value as Meta;
}
