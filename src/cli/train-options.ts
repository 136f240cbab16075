/**
 * The options of `train` and `evaluate`: short flags for what people change most (the issue's list),
 * each an alias of a config field, plus `--section.field` for every other field of the config reference.
 * Resolution order is the config's: flags > ONLINE_LEARNER_* env > YAML file > defaults; an embedded
 * stream without a --config file trains with the configuration the stream was designed with (the
 * chapter's model for statsville), under anything the user sets.
 */
import { readFile } from 'node:fs/promises';
import { parseYaml, resolveConfig } from '../config/load.js';
import type { AppConfig } from '../config/schema.js';
import { CONFIG_FILE_ENV } from '../config/names.js';
import { getStream } from '../streams/catalogue.js';
import type { RecommendedConfig } from '../streams/types.js';
import { UsageError } from './argv.js';

export interface CliOption {
  readonly flag: string;
  /** The config field it sets, or null for a CLI-only option. */
  readonly path: string | null;
  readonly value: string;
  readonly description: string;
  readonly boolean?: boolean;
}

export const TRAIN_OPTIONS: readonly CliOption[] = [
  { flag: 'config', path: null, value: 'FILE', description: `YAML configuration file (also $${CONFIG_FILE_ENV})` },
  { flag: 'stream', path: 'source.stream', value: 'NAME', description: "train on a recorded stream shipped in streams/ (default: statsville; see 'online-learner streams')" },
  { flag: 'file', path: 'source.path', value: 'FILE', description: 'train on a .jsonl or .jsonl.gz file (also the first positional argument)' },
  { flag: 'brokers', path: 'source.brokers', value: 'LIST', description: 'train from Kafka: bootstrap brokers host:port,host:port' },
  { flag: 'topic', path: 'source.topic', value: 'NAME', description: 'Kafka topic to train from' },
  { flag: 'group', path: 'source.groupId', value: 'ID', description: 'Kafka consumer group (default online-learner)' },
  { flag: 'from-beginning', path: 'source.fromBeginning', value: '', boolean: true, description: 'with no committed offsets, start from the earliest record' },
  { flag: 'model', path: 'model.type', value: 'TYPE', description: 'linear | logistic | softmax | mlp' },
  { flag: 'hidden', path: 'model.hidden', value: 'SIZES', description: 'mlp hidden layer widths, e.g. 100 or 64,32' },
  { flag: 'activation', path: 'model.activation', value: 'NAME', description: 'mlp activation: relu | tanh | sigmoid | identity' },
  { flag: 'dropout', path: 'model.dropout', value: 'P', description: 'mlp dropout probability after each hidden layer (or P1,P2,...)' },
  { flag: 'loss', path: 'loss.type', value: 'TYPE', description: 'mse | bce | bce_with_logits | focal | cross_entropy | softmax_cross_entropy | multiclass_hinge' },
  { flag: 'optimizer', path: 'optimizer.type', value: 'TYPE', description: 'sgd | adagrad | rmsprop | adam | adamw' },
  { flag: 'lr', path: 'optimizer.lr', value: 'RATE', description: 'learning rate' },
  { flag: 'batch-size', path: 'training.batchSize', value: 'N', description: 'samples per optimizer step' },
  { flag: 'shuffle-buffer', path: 'training.shuffleBuffer', value: 'N', description: 'shuffle buffer capacity (1: no shuffling)' },
  { flag: 'seed', path: 'training.seed', value: 'N', description: 'seed of every random choice' },
  { flag: 'standardize', path: 'training.standardize', value: '', boolean: true, description: 'online feature standardization (--no-standardize to turn off)' },
  { flag: 'l1', path: 'regularization.l1', value: 'LAMBDA', description: 'L1 penalty strength (proximal by default)' },
  { flag: 'l2', path: 'regularization.l2', value: 'LAMBDA', description: 'L2 penalty strength' },
  { flag: 'max-records', path: 'training.maxRecords', value: 'N', description: 'stop after N records' },
  { flag: 'idle-exit-ms', path: 'training.idleExitMs', value: 'MS', description: 'stop after MS milliseconds without a record' },
  { flag: 'dead-letter', path: 'deadLetter.path', value: 'FILE', description: 'append rejected records to this .jsonl(.gz) file' },
  { flag: 'dead-letter-topic', path: 'deadLetter.topic', value: 'NAME', description: 'produce rejected records to this Kafka topic' },
  { flag: 'checkpoint-dir', path: 'checkpoint.dir', value: 'DIR', description: 'checkpoint here and resume from the newest one (exactly-once restarts)' },
  { flag: 'reset', path: 'checkpoint.reset', value: '', boolean: true, description: 'resume a checkpoint whose model no longer fits the config with a fresh model at its stream position' },
  { flag: 'port', path: 'server.port', value: 'PORT', description: 'HTTP port of /metrics, /predict, /status (0: any free port)' },
  { flag: 'summary-json', path: null, value: 'FILE', description: 'write the final summary as JSON (samples, rejected, loss, accuracy or rmse)' },
  { flag: 'progress', path: null, value: '', boolean: true, description: 'progress bar (default: on a terminal only; --no-progress to hide)' },
];

export const TRAIN_BOOLEANS: ReadonlySet<string> = new Set(TRAIN_OPTIONS.filter((o) => o.boolean).map((o) => o.flag));

export interface ResolvedTrainArgs {
  readonly config: AppConfig;
  readonly summaryJson: string | null;
  readonly progress: boolean | undefined;
  /** Where the configuration came from, for the run's header line. */
  readonly origin: string;
}

/**
 * Turns parsed flags (and an optional positional file) into a validated AppConfig.
 * `forceFile` is evaluate's positional FILE.
 */
export async function resolveTrainArgs(
  flags: ReadonlyMap<string, string>,
  positionals: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<ResolvedTrainArgs> {
  const byFlag = new Map(TRAIN_OPTIONS.map((o) => [o.flag, o]));
  const configFlags: Record<string, unknown> = {};
  for (const [name, value] of flags) {
    const option = byFlag.get(name);
    if (option !== undefined) {
      if (option.path !== null) configFlags[option.path] = value;
    } else if (name.includes('.')) {
      configFlags[name] = value;
    } else {
      throw new UsageError(`unknown option --${name}; see 'online-learner train --help' (any config field can be set as --section.field)`);
    }
  }
  if (positionals.length > 1) throw new UsageError(`expected at most one FILE, got ${positionals.join(' ')}`);
  if (positionals.length === 1) {
    if (flags.has('file')) throw new UsageError('give the file either as FILE or as --file, not both');
    configFlags['source.path'] = positionals[0];
  }
  // The source kind follows from the flags that only one kind has.
  if (configFlags['source.path'] !== undefined) configFlags['source.type'] = 'file';
  else if (configFlags['source.brokers'] !== undefined || configFlags['source.topic'] !== undefined) configFlags['source.type'] = 'kafka';
  else if (configFlags['source.stream'] !== undefined) configFlags['source.type'] = 'embedded';

  const configPath = flags.get('config') ?? env[CONFIG_FILE_ENV];
  let file: { values: unknown; label: string } | undefined;
  let origin = 'defaults';
  if (configPath !== undefined) {
    file = { values: parseYaml(await readFile(configPath, 'utf8'), configPath), label: configPath };
    origin = configPath;
  }
  let config = resolveConfig({ file, env, flags: configFlags });
  if (file === undefined && config.source.type === 'embedded') {
    // No file: the stream's own recommended configuration takes the file's place under env and flags.
    const info = getStream(config.source.stream).info;
    file = { values: recommendedDocument(info.recommended), label: `streams/manifest.json (${info.name})` };
    config = resolveConfig({ file, env, flags: configFlags });
    origin = `the configuration recommended for '${info.name}'`;
  }
  const progress = flags.get('progress');
  return {
    config,
    summaryJson: flags.get('summary-json') ?? null,
    progress: progress === undefined ? undefined : progress === 'true',
    origin,
  };
}

function recommendedDocument(r: RecommendedConfig): Record<string, unknown> {
  const model: Record<string, unknown> = { type: r.model.type };
  if (r.model.type === 'mlp') {
    model.hidden = [...r.model.hidden];
    if (r.model.activation !== undefined) model.activation = r.model.activation;
    if (r.model.dropout !== undefined) model.dropout = r.model.dropout;
  }
  if (r.model.init !== undefined) model.init = r.model.init;
  return {
    model,
    loss: { ...r.loss },
    optimizer: { ...r.optimizer },
    training: { batchSize: r.batchSize, standardize: r.standardize },
  };
}

export function renderOptions(options: readonly CliOption[]): string {
  const left = options.map((o) => `  --${o.flag}${o.value === '' ? '' : ` ${o.value}`}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  return options.map((o, i) => `${left[i].padEnd(width)}${o.description}`).join('\n');
}
