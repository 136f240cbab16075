/**
 * The canonical bytes of a stream, over which the manifest's sha256 is computed: one JSON object per
 * line, keys in the order features, label, weight, id (optional keys omitted), feature objects in their
 * declared name order, numbers as JavaScript's shortest round-trip form (JSON.stringify), no spaces,
 * UTF-8, every line ending with "\n".
 */
import type { StreamRecord } from './types.js';

/** One canonical JSONL line, newline included. Throws on a non-finite number: JSON has none. */
export function formatRecord(record: StreamRecord): string {
  let line = '{"features":' + formatFeatures(record.features) + ',"label":' + formatLabel(record.label);
  if (record.weight !== undefined) line += ',"weight":' + formatNumber(record.weight);
  if (record.id !== undefined) line += ',"id":' + JSON.stringify(record.id);
  return line + '}\n';
}

/**
 * Rounds to a fixed number of decimals. Generators round every value they emit: besides keeping the
 * files small, it absorbs last-ulp differences of Math.log/sin/cos across engine versions, so the
 * bytes (and the checksums) stay reproducible.
 */
export function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  const rounded = Math.round(value * scale) / scale;
  // -0 would print as "0" anyway; normalizing keeps records deep-equal to their parsed form.
  return rounded === 0 ? 0 : rounded;
}

function formatFeatures(features: StreamRecord['features']): string {
  if (isNumberArray(features)) return formatNumbers(features);
  let out = '{';
  let first = true;
  for (const name of Object.keys(features)) {
    out += (first ? '' : ',') + JSON.stringify(name) + ':' + formatNumber(features[name]);
    first = false;
  }
  return out + '}';
}

function formatLabel(label: StreamRecord['label']): string {
  if (typeof label === 'string') return JSON.stringify(label);
  if (typeof label === 'number') return formatNumber(label);
  return formatNumbers(label);
}

function formatNumbers(values: readonly number[]): string {
  let out = '[';
  for (let i = 0; i < values.length; i++) out += (i === 0 ? '' : ',') + formatNumber(values[i]);
  return out + ']';
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`stream record: non-finite number ${value}`);
  return JSON.stringify(value);
}

function isNumberArray(value: unknown): value is readonly number[] {
  return Array.isArray(value);
}
