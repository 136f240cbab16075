import { describe, expect, it } from 'vitest';
import { parseArgv } from './argv.js';
import { resolveTrainArgs, TRAIN_BOOLEANS } from './train-options.js';

const resolve = (argv: string[]) => {
  const { positionals, flags } = parseArgv(argv, TRAIN_BOOLEANS);
  return resolveTrainArgs(flags, positionals, {});
};

describe('train options', () => {
  it('--checkpoint-dir and --reset set the checkpoint section', async () => {
    const { config } = await resolve(['data.jsonl', '--checkpoint-dir', '/tmp/ckpt', '--reset']);
    expect(config.checkpoint).toMatchObject({ dir: '/tmp/ckpt', reset: true });
  });

  it('leaves reset off unless asked: an incompatible checkpoint is refused by default', async () => {
    const { config } = await resolve(['data.jsonl', '--checkpoint-dir', '/tmp/ckpt']);
    expect(config.checkpoint.reset).toBe(false);
  });

  it('short flags and --section.field flags land in the same config', async () => {
    const { config } = await resolve(['--brokers', 'k:9092', '--topic', 't', '--schema.features', '2', '--schema.task', 'regression', '--source.sessionTimeoutMs', '6000', '--no-standardize']);
    expect(config.source).toMatchObject({ type: 'kafka', brokers: ['k:9092'], topic: 't', sessionTimeoutMs: 6000 });
    expect(config.training.standardize).toBe(false);
  });
});
