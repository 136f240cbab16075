/** How the learner runs: batching, serving, metrics, dead letters and checkpoints. */
import { z } from 'zod';
import { nonNegative, nonNegativeInt, positive, positiveInt } from '../rules.js';

export const trainingSchema = z
  .object({
    batchSize: positiveInt().default(32).describe('Samples per optimizer step.'),
    shuffleBuffer: positiveInt().default(1000).describe('Shuffle buffer capacity in samples; 1: no shuffling.'),
    maxWaitMs: nonNegative().default(1000).describe('Flush a partial batch after this long without a new sample.'),
    seed: nonNegativeInt().max(0xffffffff).default(0).describe('Seed of every random choice (initial weights, dropout, shuffling).'),
    standardize: z.boolean().default(true).describe('Standardize features online (Welford mean and variance).'),
    maxRecords: positiveInt().optional().describe('Stop after this many records; omitted: no limit.'),
    idleExitMs: positive().optional().describe('Stop after this long without a record; omitted: wait forever.'),
  })
  .strict()
  .default({})
  .describe('Batching and the training loop.');

export const serverSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Serve /metrics, /healthz, /readyz, /predict, /status.'),
    host: z.string().min(1).default('127.0.0.1').describe('Listen address (0.0.0.0 in a container).'),
    port: nonNegativeInt().max(65535).default(9464).describe('Listen port; 0: any free port.'),
  })
  .strict()
  .default({})
  .describe('The HTTP server.');

export const metricsSchema = z
  .object({
    qualityWindow: positiveInt().default(1000).describe('Rolling window of the prequential accuracy / RMSE, in samples.'),
    lossHalfLifeSteps: positive().default(100).describe('Half-life of the running (EMA) loss, in steps.'),
    maxPerElementSeries: nonNegativeInt()
      .default(1000)
      .describe('Export per-element effective learning rates only while the model has at most this many parameters.'),
  })
  .strict()
  .default({})
  .describe('Metric windows and series limits.');

export const deadLetterSchema = z
  .object({
    path: z.string().min(1).optional().describe('Append rejected records to this .jsonl(.gz) file.'),
    topic: z.string().min(1).optional().describe('Produce rejected records to this Kafka topic (kafka source only).'),
  })
  .strict()
  .default({})
  .describe('Where rejected records go; neither set: they are only counted.');

export const checkpointSchema = z
  .object({
    dir: z.string().min(1).optional().describe('Directory of checkpoints; omitted: no checkpoints (no exactly-once restart).'),
    everySteps: positiveInt().default(1000).describe('Checkpoint every this many optimizer steps.'),
    everySeconds: positive().default(60).describe('Checkpoint at least this often, in seconds.'),
    keep: positiveInt().default(3).describe('Checkpoints kept; older ones are deleted.'),
    reset: z
      .boolean()
      .default(false)
      .describe(
        'Resume from a checkpoint whose model no longer fits the config (other shape, layers or loss) with a fresh model at its stream position, instead of refusing to start.',
      ),
  })
  .strict()
  .default({})
  .describe('Checkpoints.');
