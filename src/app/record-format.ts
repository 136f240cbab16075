/**
 * The line format of `online-learner record` files, read back by `online-learner replay`. A recording
 * must stay a training file (train / evaluate read it as they read streams/*.jsonl.gz), so each line is
 * the record's own JSON value with the Kafka metadata added as one more top-level member, which the
 * decoder ignores (decode-record.ts: unknown top-level keys are not read):
 *
 *   {"features":[0.1,2],"label":1,"_kafka":{"partition":2,"offset":"17","timestamp":1718000000000,"key":"u7"}}
 *
 * The member is spliced into the value's text rather than re-serialized: the bytes before it are the
 * value exactly as produced (minus surrounding whitespace), and replay cuts the same suffix off again,
 * so a replayed value is byte-identical to the recorded one.
 *
 * A value that is not a one-line JSON object (a tombstone, bytes that are not UTF-8 JSON, a JSON array
 * or number, a pretty-printed object, an object with its own `_kafka` member) is kept in an envelope,
 * base64 for exactness:
 *
 *   {"_kafka":{"partition":0,"offset":"18","timestamp":1718000000001,"key":null},"_raw":"bm90IGpzb24="}
 *
 * (`"_raw":null` for a null value). An envelope has no `features`, so a learner reading the file
 * dead-letters it as missing_features, as it would have dead-lettered the original value.
 *
 * Reading: a line is a recording only when it parses as a JSON object with a `_kafka` member. An
 * envelope has exactly the members `_kafka`, `_raw`, in that order; any other such object is a value
 * with the member added, which is cut off again (exactly when it is the last member as written here,
 * else by re-serializing the other members). Any other line (a plain training record, even an
 * unparsable one) is replayed as it is.
 */
import { ConfigError } from '../errors.js';
import type { KafkaRecord } from '../sources/kafka/types.js';

const KAFKA_MEMBER = '_kafka';
const RAW_MEMBER = '_raw';

/** What a recording keeps of a record besides its value. Offsets are int64 decimal strings. */
export interface KafkaMetadata {
  readonly partition: number;
  readonly offset: string;
  /** Milliseconds since the epoch: the record's CreateTime (or LogAppendTime, per the topic's config). */
  readonly timestamp: number;
  /** The key as UTF-8 text, null when the record had none. */
  readonly key: string | null;
}

/** A line read back: the value to produce and, for recorded lines, the metadata kept with it. */
export interface ReplayLine {
  readonly value: Buffer | string | null;
  readonly kafka: KafkaMetadata | null;
  /** The value's top-level members when the line had to be parsed anyway (a --key lookup reuses them). */
  readonly fields: Readonly<Record<string, unknown>> | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const KAFKA_MARKER = Buffer.from(`"${KAFKA_MEMBER}"`);

/** One line of a recording (without the newline). */
export function formatRecordedLine(record: KafkaRecord): string {
  const { origin } = record;
  const meta: KafkaMetadata = {
    partition: origin.partition,
    offset: origin.offset,
    timestamp: origin.timestampMs ?? 0,
    key: origin.key ?? null,
  };
  const member = `"${KAFKA_MEMBER}":${JSON.stringify(meta)}`;
  const object = oneLineObject(record.value);
  if (object === null) {
    const raw = record.value === null ? 'null' : JSON.stringify(Buffer.from(record.value).toString('base64'));
    return `{${member},"${RAW_MEMBER}":${raw}}`;
  }
  const head = object.text.slice(0, -1);
  return object.empty ? `${head}${member}}` : `${head},${member}}`;
}

/**
 * The value to produce for one line of a replayed file. `parse` asks for the line's members even when
 * it carries no metadata (for a --key lookup); otherwise a plain line is passed on without parsing.
 * Throws ConfigError (naming `where`) for a line that claims to be a recording but is malformed.
 */
export function parseReplayLine(line: Buffer, where: string, parse: boolean): ReplayLine {
  if (!parse && !line.includes(KAFKA_MARKER)) return { value: line, kafka: null, fields: null };
  const fields = parseObject(line);
  if (fields === null) return { value: line, kafka: null, fields: null };
  if (!Object.hasOwn(fields, KAFKA_MEMBER)) return { value: line, kafka: null, fields };
  const kafka = readMetadata(fields[KAFKA_MEMBER], where);
  const names = Object.keys(fields);
  if (names.length === 2 && names[0] === KAFKA_MEMBER && names[1] === RAW_MEMBER) {
    return { value: decodeRaw(fields[RAW_MEMBER], where), kafka, fields: null };
  }
  const rest: Record<string, unknown> = { ...fields };
  delete rest[KAFKA_MEMBER];
  return { value: stripMember(line.toString('utf8'), fields[KAFKA_MEMBER]) ?? JSON.stringify(rest), kafka, fields: rest };
}

/** The value's text when it is a JSON object that fits on one line and has no `_kafka` member of its own. */
function oneLineObject(value: Buffer | string | null): { text: string; empty: boolean } | null {
  if (value === null) return null;
  let text: string;
  try {
    text = trimJsonWhitespace(typeof value === 'string' ? value : utf8.decode(value));
  } catch {
    return null;
  }
  if (!text.startsWith('{') || !text.endsWith('}') || text.includes('\n') || text.includes('\r')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  if (Object.hasOwn(parsed, KAFKA_MEMBER)) return null;
  return { text, empty: Object.keys(parsed).length === 0 };
}

// JSON's whitespace only: String.prototype.trim would also drop a BOM or a no-break space.
function trimJsonWhitespace(text: string): string {
  return text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

function parseObject(line: Buffer): Record<string, unknown> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8.decode(line));
  } catch {
    return null;
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
}

/**
 * The original value's text: the line without the `_kafka` member that formatRecordedLine appended.
 * Null when the line does not end exactly that way (edited by hand): the caller re-serializes then.
 */
function stripMember(line: string, meta: unknown): string | null {
  const text = trimJsonWhitespace(line);
  const suffix = `"${KAFKA_MEMBER}":${JSON.stringify(meta)}}`;
  if (!text.endsWith(suffix)) return null;
  const head = text.slice(0, text.length - suffix.length);
  const before = trimJsonWhitespace(head);
  // `{"a":1,` + member: drop the comma; `{` + member: the value was an empty object.
  if (before.endsWith(',')) return `${before.slice(0, -1)}}`;
  if (before.endsWith('{')) return `${head}}`;
  return null;
}

function readMetadata(meta: unknown, where: string): KafkaMetadata {
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    throw new ConfigError(`${where}: ${KAFKA_MEMBER} must be an object {partition, offset, timestamp, key}, got ${JSON.stringify(meta)}`);
  }
  const m = meta as Record<string, unknown>;
  const { partition, offset, timestamp, key } = m;
  if (!Number.isInteger(partition) || (partition as number) < 0) {
    throw new ConfigError(`${where}: ${KAFKA_MEMBER}.partition must be a non-negative integer, got ${JSON.stringify(partition)}`);
  }
  if (typeof offset !== 'string' || !/^\d+$/.test(offset)) {
    throw new ConfigError(`${where}: ${KAFKA_MEMBER}.offset must be a decimal string, got ${JSON.stringify(offset)}`);
  }
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) {
    throw new ConfigError(`${where}: ${KAFKA_MEMBER}.timestamp must be a number (ms since the epoch), got ${JSON.stringify(timestamp)}`);
  }
  if (key !== null && typeof key !== 'string') {
    throw new ConfigError(`${where}: ${KAFKA_MEMBER}.key must be a string or null, got ${JSON.stringify(key)}`);
  }
  return { partition: partition as number, offset, timestamp, key };
}

function decodeRaw(raw: unknown, where: string): Buffer | null {
  if (raw === null) return null;
  if (typeof raw !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(raw)) {
    throw new ConfigError(`${where}: ${RAW_MEMBER} must be base64 text or null`);
  }
  return Buffer.from(raw, 'base64');
}
