/** Where records come from: a Kafka topic, a .jsonl(.gz) file, or a recorded stream shipped in streams/. */
import { z } from 'zod';
import { DEFAULT_MAX_RECORD_BYTES } from '../../pipeline/decode-record.js';
import type { RecordFormat } from '../../pipeline/decode-record.js';
import { positiveInt } from '../rules.js';

const maxRecordBytes = positiveInt()
  .default(DEFAULT_MAX_RECORD_BYTES)
  .describe('Largest record accepted, in bytes; larger ones are rejected as `oversize` before decoding.');

export const RECORD_FORMAT_NAMES = ['json', 'binary'] as const satisfies readonly RecordFormat[];

const kafka = z
  .object({
    type: z.literal('kafka').describe('Source kind: `kafka`, `file` or `embedded`.'),
    brokers: z
      .array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port'))
      .min(1)
      .describe('Bootstrap brokers as `host:port` (env / flag: comma-separated).'),
    topic: z.string().min(1).describe('Topic to train from.'),
    format: z
      .enum(RECORD_FORMAT_NAMES)
      .default('json')
      .describe('Message values: `json` (one record per message) or `binary` (many float32 samples per message, docs/binary-format.md).'),
    groupId: z.string().min(1).default('online-learner').describe('Consumer group; offsets are committed for records that were trained or dead-lettered (with checkpoint.dir: once a checkpoint covering them is durable).'),
    clientId: z.string().min(1).default('online-learner').describe('Kafka client id.'),
    fromBeginning: z
      .boolean()
      .default(false)
      .describe('Without a checkpoint or committed offset: start from the earliest record (else from new records only).'),
    sessionTimeoutMs: positiveInt()
      .min(1000)
      .default(30_000)
      .describe(
        'Consumer session timeout: how long the group waits for a silent member (a killed learner) before its partitions move; the broker bounds it (group.min.session.timeout.ms, 6000 by default).',
      ),
    ssl: z.boolean().default(false).describe('Connect with TLS (system CAs; see `source.tls` for a private CA or a client certificate).'),
    tls: z
      .object({
        caFile: z.string().min(1).optional().describe('PEM file of the CA certificate(s) to trust instead of the system ones (a private CA).'),
        certFile: z.string().min(1).optional().describe('PEM client certificate, for brokers that require one (mutual TLS); needs `keyFile`.'),
        keyFile: z.string().min(1).optional().describe('PEM private key of `certFile`, unencrypted; needs `certFile`.'),
      })
      .strict()
      .refine((tls) => (tls.certFile === undefined) === (tls.keyFile === undefined), 'certFile and keyFile go together: a client certificate needs its key')
      .optional()
      .describe('TLS from PEM files; implies `ssl: true`. The files are read when the client is made.'),
    sasl: z
      .object({
        mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).describe('SASL mechanism.'),
        username: z.string().min(1).describe('SASL user name.'),
        password: z.string().describe('SASL password (prefer the env var; never printed in errors).'),
      })
      .strict()
      .optional()
      .describe('SASL authentication, passed to kafkajs; omit for none.'),
    maxRecordBytes,
  })
  .strict();

const file = z
  .object({
    type: z.literal('file'),
    path: z.string().min(1).describe('A .jsonl or .jsonl.gz file (gzip also recognized by its magic bytes).'),
    maxRecordBytes,
  })
  .strict();

const embedded = z
  .object({
    type: z.literal('embedded'),
    stream: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be a stream name from streams/ (lowercase letters, digits, - and _)')
      .default('statsville')
      .describe('Name of a recorded stream shipped in streams/.'),
    maxRecordBytes,
  })
  .strict();

export const sourceSchema = z
  .discriminatedUnion('type', [kafka, file, embedded])
  .default({ type: 'embedded' })
  .describe('Where records come from.');

export type SourceConfig = z.output<typeof sourceSchema>;
