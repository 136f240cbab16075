/**
 * A small safetensors writer and reader for float tensors (format:
 * https://github.com/huggingface/safetensors#format; reference implementation safetensors/src/tensor.rs):
 *
 *   8 bytes    N, the header length, unsigned 64-bit little-endian
 *   N bytes    UTF-8 JSON: {"<name>": {"dtype": "F32", "shape": [100, 2], "data_offsets": [begin, end]}, ...,
 *              "__metadata__": {"<key>": "<string>", ...}}, padded with spaces
 *   the rest   the byte buffer: each tensor's elements, row-major, little-endian, at [begin, end) of it
 *
 * Only F32 and F64 are supported: the dtypes of our models. Python reads the files with
 * `safetensors.numpy.load_file` / `safetensors.torch.load_file`.
 *
 * The writer pads the header to a multiple of 8 bytes (as the reference does) so the data starts aligned,
 * and lays tensors out in the order given. The reader refuses what the reference refuses: a header that
 * does not start with `{`, offsets that leave holes, overlap or run past the end, a byte size that
 * disagrees with dtype x shape, non-string metadata. Values are not checked (NaN and Inf are valid data).
 * Data is little-endian on any host: block copies on little-endian hosts (all Node targets in practice),
 * DataView with explicit little-endian elsewhere.
 */
import { endianness } from 'node:os';
import { LearnerError } from '../errors.js';

export type SafetensorsDType = 'F32' | 'F64';

export interface SafetensorsTensor {
  /** Row-major; [] for a scalar. */
  readonly shape: readonly number[];
  /** F32 for Float32Array, F64 for Float64Array. */
  readonly data: Float32Array | Float64Array;
}

export interface SafetensorsFile {
  /** In the order of their data in the file. */
  readonly tensors: ReadonlyMap<string, SafetensorsTensor>;
  readonly metadata: Readonly<Record<string, string>>;
}

/** A file or a tensor that breaks the format. */
export class SafetensorsError extends LearnerError {
  constructor(message: string) {
    super('SAFETENSORS_INVALID', message);
  }
}

const METADATA_KEY = '__metadata__';
const HEADER_LENGTH_BYTES = 8;
const HEADER_ALIGNMENT = 8;
/** The reference reader's limit; a larger header is refused before it is decoded. */
export const MAX_HEADER_BYTES = 100_000_000;
const BYTES_PER_ELEMENT: Readonly<Record<SafetensorsDType, number>> = { F32: 4, F64: 8 };
const SPACE = 0x20;
const LITTLE_ENDIAN_HOST = endianness() === 'LE';
const OPEN_BRACE = 0x7b;

/** Tensors (insertion order) and string metadata to safetensors bytes. */
export function encodeSafetensors(
  tensors: Readonly<Record<string, SafetensorsTensor>>,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  const metadataEntries = Object.entries(metadata);
  if (metadataEntries.length > 0) {
    for (const [key, value] of metadataEntries) {
      if (typeof value !== 'string') throw new SafetensorsError(`metadata "${key}": values must be strings, got ${typeof value}`);
    }
    header[METADATA_KEY] = Object.fromEntries(metadataEntries);
  }
  const entries = Object.entries(tensors);
  let offset = 0;
  for (const [name, tensor] of entries) {
    if (name === METADATA_KEY) throw new SafetensorsError(`a tensor cannot be named "${METADATA_KEY}"`);
    const dtype = dtypeOfData(name, tensor.data);
    const elements = elementCount(name, tensor.shape);
    if (elements !== tensor.data.length) {
      throw new SafetensorsError(`tensor "${name}": shape [${tensor.shape.join(', ')}] holds ${elements} elements, data has ${tensor.data.length}`);
    }
    const end = offset + elements * BYTES_PER_ELEMENT[dtype];
    header[name] = { dtype, shape: [...tensor.shape], data_offsets: [offset, end] };
    offset = end;
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const headerBytes = Math.ceil((HEADER_LENGTH_BYTES + json.length) / HEADER_ALIGNMENT) * HEADER_ALIGNMENT - HEADER_LENGTH_BYTES;
  const out = new Uint8Array(HEADER_LENGTH_BYTES + headerBytes + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes), true);
  out.set(json, HEADER_LENGTH_BYTES);
  out.fill(SPACE, HEADER_LENGTH_BYTES + json.length, HEADER_LENGTH_BYTES + headerBytes);
  let position = HEADER_LENGTH_BYTES + headerBytes;
  for (const [, { data }] of entries) {
    if (LITTLE_ENDIAN_HOST) {
      // The host's layout is the file's: one block copy (and NaN payloads kept bit for bit).
      out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), position);
      position += data.byteLength;
    } else if (data instanceof Float64Array) {
      for (let i = 0; i < data.length; i++, position += 8) view.setFloat64(position, data[i], true);
    } else {
      for (let i = 0; i < data.length; i++, position += 4) view.setFloat32(position, data[i], true);
    }
  }
  return out;
}

/** Safetensors bytes to tensors (copies, so the input may be reused) and metadata. */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.byteLength < HEADER_LENGTH_BYTES) {
    throw new SafetensorsError(`${bytes.byteLength} bytes is too short: a safetensors file starts with an 8-byte header length`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(Math.min(MAX_HEADER_BYTES, bytes.byteLength - HEADER_LENGTH_BYTES))) {
    throw new SafetensorsError(
      `header length ${declared} exceeds the ${bytes.byteLength - HEADER_LENGTH_BYTES} bytes after it (or the ${MAX_HEADER_BYTES}-byte limit)`,
    );
  }
  const headerBytes = Number(declared);
  const headerStart = HEADER_LENGTH_BYTES;
  if (headerBytes === 0 || bytes[headerStart] !== OPEN_BRACE) throw new SafetensorsError('the header must be a JSON object starting with "{"');
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(headerStart, headerStart + headerBytes)));
  } catch (err) {
    throw new SafetensorsError(`the header is not valid UTF-8 JSON: ${(err as Error).message}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new SafetensorsError('the header must be a JSON object');

  const dataStart = headerStart + headerBytes;
  const dataBytes = bytes.byteLength - dataStart;
  // No prototype: a metadata key such as "__proto__" stays an ordinary key.
  const metadata = Object.create(null) as Record<string, string>;
  const layout: Array<{ name: string; dtype: SafetensorsDType; shape: number[]; begin: number; end: number }> = [];
  // Object.entries lists own keys only, and names go into a Map: no header key can reach a prototype.
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === METADATA_KEY) {
      readMetadata(entry, metadata);
      continue;
    }
    layout.push({ name, ...readEntry(name, entry) });
  }
  layout.sort((a, b) => a.begin - b.begin);
  // Contiguous: the tensors tile the byte buffer exactly, with no holes (no room for a polyglot file).
  let expected = 0;
  for (const { name, begin, end } of layout) {
    if (begin !== expected) throw new SafetensorsError(`tensor "${name}": data starts at ${begin}, expected ${expected} (holes or overlaps)`);
    expected = end;
  }
  if (expected !== dataBytes) throw new SafetensorsError(`the tensors cover ${expected} bytes of data, the file has ${dataBytes}`);

  const tensors = new Map<string, SafetensorsTensor>();
  for (const { name, dtype, shape, begin, end } of layout) {
    let position = dataStart + begin;
    if (LITTLE_ENDIAN_HOST) {
      // Copied into a fresh buffer: typed arrays need aligned offsets, the file's data need not be.
      const copy = new Uint8Array(end - begin);
      copy.set(bytes.subarray(position, dataStart + end));
      tensors.set(name, { shape, data: dtype === 'F64' ? new Float64Array(copy.buffer) : new Float32Array(copy.buffer) });
    } else if (dtype === 'F64') {
      const data = new Float64Array((end - begin) / 8);
      for (let i = 0; i < data.length; i++, position += 8) data[i] = view.getFloat64(position, true);
      tensors.set(name, { shape, data });
    } else {
      const data = new Float32Array((end - begin) / 4);
      for (let i = 0; i < data.length; i++, position += 4) data[i] = view.getFloat32(position, true);
      tensors.set(name, { shape, data });
    }
  }
  return { tensors, metadata };
}

function readMetadata(entry: unknown, into: Record<string, string>): void {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new SafetensorsError(`"${METADATA_KEY}" must be an object of strings`);
  }
  for (const [key, value] of Object.entries(entry)) {
    if (typeof value !== 'string') throw new SafetensorsError(`"${METADATA_KEY}".${key}: values must be strings, got ${JSON.stringify(value)}`);
    into[key] = value;
  }
}

function readEntry(name: string, entry: unknown): { dtype: SafetensorsDType; shape: number[]; begin: number; end: number } {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new SafetensorsError(`tensor "${name}": expected an object`);
  const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
  if (dtype !== 'F32' && dtype !== 'F64') {
    throw new SafetensorsError(`tensor "${name}": dtype ${JSON.stringify(dtype)} is not supported (this reader handles F32 and F64)`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new SafetensorsError(`tensor "${name}": shape must be an array of integers >= 0, got ${JSON.stringify(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[1] < offsets[0]) {
    throw new SafetensorsError(`tensor "${name}": data_offsets must be [begin, end] with 0 <= begin <= end, got ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  const size = elementCount(name, shape as number[]) * BYTES_PER_ELEMENT[dtype];
  if (end - begin !== size) {
    throw new SafetensorsError(`tensor "${name}": ${dtype} [${shape.join(', ')}] needs ${size} bytes, data_offsets span ${end - begin}`);
  }
  return { dtype, shape: [...(shape as number[])], begin, end };
}

function dtypeOfData(name: string, data: unknown): SafetensorsDType {
  if (data instanceof Float32Array) return 'F32';
  if (data instanceof Float64Array) return 'F64';
  throw new SafetensorsError(`tensor "${name}": data must be a Float32Array or a Float64Array`);
}

function elementCount(name: string, shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new SafetensorsError(`tensor "${name}": shape [${shape.join(', ')}] must hold integers >= 0`);
    n *= d;
  }
  if (!Number.isSafeInteger(n)) throw new SafetensorsError(`tensor "${name}": shape [${shape.join(', ')}] is too large`);
  return n;
}
