/**
 * The Kafka module's logger: kafkajs log entries mapped to our levels, secrets redacted, quiet by
 * default. Errors reach callers as thrown KafkaErrors (and onCrash), so logs are for diagnosis only.
 */
import { logLevel } from 'kafkajs';
import type { logCreator, LogEntry } from 'kafkajs';
import { ConfigError } from '../../errors.js';

export const KAFKA_LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;
export type KafkaLogLevel = (typeof KAFKA_LOG_LEVELS)[number];

export interface KafkaLogEntry {
  readonly level: Exclude<KafkaLogLevel, 'silent'>;
  readonly module: 'kafka';
  /** kafkajs' component, e.g. Consumer, Connection, Runner. */
  readonly namespace: string;
  readonly message: string;
  readonly timestampIso: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export type KafkaLogSink = (entry: KafkaLogEntry) => void;

/** One JSON line per entry on stderr, where the rest of the process logs go too. */
export const stderrJsonSink: KafkaLogSink = (entry) => {
  process.stderr.write(`${JSON.stringify(entry)}\n`);
};

const TO_KAFKAJS: Readonly<Record<KafkaLogLevel, logLevel>> = {
  silent: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

export function toKafkajsLogLevel(level: KafkaLogLevel): logLevel {
  if (!Object.hasOwn(TO_KAFKAJS, level)) {
    throw new ConfigError(`kafka.logLevel: ${JSON.stringify(level)} is not one of ${KAFKA_LOG_LEVELS.join(', ')}`);
  }
  return TO_KAFKAJS[level];
}

function fromKafkajsLevel(level: logLevel): KafkaLogEntry['level'] {
  if (level <= logLevel.ERROR) return 'error';
  if (level === logLevel.WARN) return 'warn';
  if (level === logLevel.INFO) return 'info';
  return 'debug';
}

/**
 * Key names whose values never reach a log: SASL and TLS settings, credentials of any kind. Not
 * "apiKey": kafkajs logs Kafka protocol API numbers under that name.
 */
const SECRET_KEY = /pass|secret|token|sasl|ssl|cert|credential|authori[sz]ation|private/i;
const MAX_DEPTH = 4;

export function redactSecrets(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value) || value instanceof Error) {
    return value;
  }
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? '[redacted]' : redactSecrets(item, depth + 1);
  }
  return out;
}

/**
 * A kafkajs logCreator. kafkajs filters by the level given to its constructor first (the same level,
 * see client.ts); filtering again here keeps KAFKAJS_LOG_LEVEL in the environment from overriding us.
 */
export function createLogCreator(level: KafkaLogLevel, sink: KafkaLogSink = stderrJsonSink): logCreator {
  const threshold = toKafkajsLogLevel(level);
  return () =>
    ({ namespace, level: entryLevel, log }: LogEntry) => {
      if (entryLevel > threshold || threshold === logLevel.NOTHING) return;
      const { message, timestamp, ...fields } = log;
      sink({
        level: fromKafkajsLevel(entryLevel),
        module: 'kafka',
        namespace,
        message,
        timestampIso: timestamp,
        fields: redactSecrets(fields) as Record<string, unknown>,
      });
    };
}
