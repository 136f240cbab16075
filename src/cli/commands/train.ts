/**
 * `online-learner train` and `online-learner evaluate`: the same prequential run (every sample is
 * scored before it is learned from), differing in intent and defaults: `evaluate FILE` reads one
 * recorded file and reports; `train` serves the run's metrics and can read Kafka.
 */
import { writeFile } from 'node:fs/promises';
import { ReplaySubject } from 'rxjs';
import { AppliedLedger, APPLIED_LEDGER_ENV } from '../../app/applied-ledger.js';
import { startObservability } from '../../app/observability.js';
import type { Observability } from '../../app/observability.js';
import { runTrainJob } from '../../app/train-job.js';
import type { TrainJobOptions, TrainJobResult } from '../../app/train-job.js';
import { summaryJson, summaryTable } from '../../app/summary.js';
import type { AppConfig } from '../../config/schema.js';
import { parseArgv, UsageError } from '../argv.js';
import { renderOptions, resolveTrainArgs, TRAIN_BOOLEANS, TRAIN_OPTIONS } from '../train-options.js';
import type { ResolvedTrainArgs } from '../train-options.js';
import type { CommandContext } from './context.js';

export const TRAIN_HELP = `Usage: online-learner train [FILE] [options]

Trains a model continuously on a stream of JSON records and reports prequential quality (each sample
is scored before the model learns from it). Without a source option it trains the chapter's model on
the recorded 'statsville' stream shipped in streams/ (no Kafka needed).

Sources (one of):
  (none)                  the recorded stream given by --stream (default statsville)
  FILE | --file FILE      a .jsonl or .jsonl.gz file
  --brokers B --topic T   a Kafka topic (consumer group --group)

Options:
${renderOptions(TRAIN_OPTIONS)}

Any other configuration field can be set as --section.field VALUE (e.g. --optimizer.betas 0.9,0.99,
--loss.gamma 2); see the configuration reference in the README. Precedence: flags > ONLINE_LEARNER_*
environment variables > --config file > defaults.

SIGTERM or Ctrl-C stops reading, trains on what was read, prints the summary and exits 0.
`;

export const EVALUATE_HELP = `Usage: online-learner evaluate FILE [options]

Prequential (progressive-validation) evaluation of a recorded stream: every record is predicted by the
model as it is, then learned from. Prints the summary; --summary-json FILE writes it as JSON.

Options: as 'online-learner train --help' (model, loss, optimizer, batch and seed options).
`;

export async function trainCommand(argv: readonly string[], context: CommandContext): Promise<number> {
  return runCommand(argv, context, 'train');
}

export async function evaluateCommand(argv: readonly string[], context: CommandContext): Promise<number> {
  return runCommand(argv, context, 'evaluate');
}

async function runCommand(argv: readonly string[], context: CommandContext, mode: 'train' | 'evaluate'): Promise<number> {
  const { positionals, flags } = parseArgv(argv, TRAIN_BOOLEANS);
  if (flags.has('help')) {
    context.stdout.write(mode === 'train' ? TRAIN_HELP : EVALUATE_HELP);
    return 0;
  }
  if (mode === 'evaluate' && positionals.length === 0 && !flags.has('file')) throw new UsageError('evaluate needs a FILE: online-learner evaluate FILE [options]');
  const args = await resolveTrainArgs(flags, positionals, context.env);
  const { config } = args;
  context.stderr.write(header(mode, config, args));

  // Replays: a signal during setup (connecting to Kafka) must still stop the run once it starts.
  const stop = new ReplaySubject<void>(1);
  const onSignal = (signal: NodeJS.Signals): void => {
    context.stderr.write(`\n${signal}: finishing the records already read, then stopping\n`);
    stop.next();
  };
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
  for (const s of signals) context.process.on(s, onSignal);
  let result: TrainJobResult;
  // evaluate is a batch report: it serves nothing.
  let observability: Observability | null = null;
  const ledgerPath = context.env[APPLIED_LEDGER_ENV];
  const ledger = ledgerPath === undefined || ledgerPath === '' ? null : new AppliedLedger(ledgerPath);
  try {
    const options: TrainJobOptions = {
      log: context.stderr,
      stop,
      progress: args.progress,
      label: mode === 'train' ? 'training' : 'evaluating',
      onLearner: async (learner, controls) => {
        ledger?.started(learner);
        if (mode === 'train') observability = await startObservability(learner, config, context.stderr, controls);
      },
      onEvent: (event, learner) => {
        ledger?.onEvent(event, learner);
        observability?.observe(event);
      },
      onLag: (topic, partition, lag) => observability?.metrics.setLag(topic, partition, lag),
      onCheckpoint: () => observability?.metrics.markCheckpoint(Date.now() / 1000),
    };
    result = await (context.runJob ?? runTrainJob)(config, options);
  } finally {
    for (const s of signals) context.process.off(s, onSignal);
    await (observability as Observability | null)?.close();
  }
  const window = config.metrics.qualityWindow;
  context.stdout.write(`\nPrequential summary (${mode}):\n${summaryTable(result.summary, result.seconds, window)}`);
  if (args.summaryJson !== null) {
    await writeFile(args.summaryJson, JSON.stringify(summaryJson(result.summary, result.seconds), null, 2) + '\n');
    context.stdout.write(`Summary written to ${args.summaryJson}\n`);
  }
  return 0;
}

function header(mode: string, config: AppConfig, args: ResolvedTrainArgs): string {
  const s = config.source;
  const source = s.type === 'kafka' ? `kafka topic ${s.topic} at ${s.brokers.join(',')}` : s.type === 'file' ? `file ${s.path}` : `recorded stream '${s.stream}'`;
  const m = config.model;
  const model = m.type === 'mlp' ? `mlp [${(m.hidden ?? [100]).join(', ')}] ${m.activation}` : m.type;
  const opt = config.optimizer;
  return (
    `online-learner ${mode}: ${source}\n` +
    `  model ${model}, loss ${config.loss?.type ?? 'by task'}, optimizer ${opt.type} lr ${opt.lr}, batch ${config.training.batchSize}, ` +
    `shuffle ${config.training.shuffleBuffer}, seed ${config.training.seed}${config.training.standardize ? ', standardized' : ''} (config: ${args.origin})\n`
  );
}
