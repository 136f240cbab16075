import { logLevel, type LogEntry } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { createLogCreator, redactSecrets, type KafkaLogEntry, type KafkaLogLevel } from './logger.js';

function entry(level: logLevel, extra: Record<string, unknown> = {}): LogEntry {
  return {
    namespace: 'Consumer',
    level,
    label: 'X',
    log: { timestamp: '2026-01-02T03:04:05.000Z', message: `at ${level}`, ...extra },
  };
}

function emitAll(level: KafkaLogLevel): KafkaLogEntry[] {
  const seen: KafkaLogEntry[] = [];
  const log = createLogCreator(level, (e) => seen.push(e))(logLevel.DEBUG);
  for (const l of [logLevel.ERROR, logLevel.WARN, logLevel.INFO, logLevel.DEBUG]) log(entry(l));
  return seen;
}

describe('Kafka logger', () => {
  it('is silent at the default level and passes entries up to the chosen level', () => {
    expect(emitAll('silent')).toEqual([]);
    expect(emitAll('warn').map((e) => e.level)).toEqual(['error', 'warn']);
    expect(emitAll('debug').map((e) => e.level)).toEqual(['error', 'warn', 'info', 'debug']);
  });

  it('emits one structured entry per kafkajs entry, tagged with the module', () => {
    const seen: KafkaLogEntry[] = [];
    createLogCreator('info', (e) => seen.push(e))(logLevel.INFO)(entry(logLevel.INFO, { groupId: 'g1' }));
    expect(seen).toEqual([
      {
        level: 'info',
        module: 'kafka',
        namespace: 'Consumer',
        message: `at ${logLevel.INFO}`,
        timestampIso: '2026-01-02T03:04:05.000Z',
        fields: { groupId: 'g1' },
      },
    ]);
  });

  it('never lets credentials through, however deep they sit', () => {
    const fields = {
      broker: '127.0.0.1:9092',
      sasl: { mechanism: 'plain', username: 'u', password: 'p' },
      request: { headers: { Authorization: 'Bearer abc' }, apiKey: 3 },
      list: [{ secretAccessKey: 'k' }],
    };
    expect(redactSecrets(fields)).toEqual({
      broker: '127.0.0.1:9092',
      sasl: '[redacted]',
      request: { headers: { Authorization: '[redacted]' }, apiKey: 3 },
      list: [{ secretAccessKey: '[redacted]' }],
    });
  });

  it('rejects an unknown level naming the field and the allowed values', () => {
    expect(() => createLogCreator('loud' as KafkaLogLevel)).toThrow(ConfigError);
    expect(() => createLogCreator('loud' as KafkaLogLevel)).toThrow(
      'kafka.logLevel: "loud" is not one of silent, error, warn, info, debug',
    );
  });
});
