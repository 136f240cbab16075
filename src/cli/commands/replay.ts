/** `online-learner replay FILE|STREAM --topic T`: produce a recorded file into Kafka. */
import { countRecords } from '../../app/file-input.js';
import { formatCount, ProgressBar } from '../../app/progress.js';
import { runReplay } from '../../app/replay.js';
import type { ReplaySummary } from '../../app/replay.js';
import { resolveReplayInput } from '../../app/replay-input.js';
import type { KafkaClientOptions } from '../../sources/kafka/index.js';
import { parseArgv, UsageError } from '../argv.js';
import type { CommandContext } from './context.js';

export const REPLAY_HELP = `Usage: online-learner replay FILE|STREAM --topic T [options]

Produces the records of FILE (.jsonl or .jsonl.gz, e.g. a file written by 'online-learner record') or
of a recorded stream shipped in streams/ (statsville, regression, imbalanced, drift) into Kafka topic T,
one message per line, with a progress bar.

Options:
  --topic T          topic to produce to; it must exist unless --partitions is given
  --brokers LIST     bootstrap brokers host:port,host:port (default: $ONLINE_LEARNER_SOURCE_BROKERS,
                     else localhost:9092)
  --rate N           at most N records per second (token bucket); default: as fast as the broker
                     acknowledges
  --burst-ms MS      with --rate, the largest burst above the rate, in milliseconds of it (default 50);
                     the rate holds while an acknowledgement takes less than MS
  --timing MODE      none (default) | recorded: wait the gaps between the records' recorded timestamps
                     (files written by 'online-learner record')
  --speed X          with --timing recorded, divide the gaps by X (default 1)
  --loop             repeat the file until SIGINT/SIGTERM
  --key FIELD        message key: the value's top-level FIELD (default: the recorded key, else none)
  --partitions N     create the topic with N partitions when it does not exist
  --batch N          most records per send (default 500)
  --no-progress      no progress bar (it is drawn only on a terminal anyway)

Records with the same key go to the same partition, in file order (one send in flight at a time).
Recorded lines are unwrapped: their _kafka member is removed, so the broker gets the original value.
SIGINT/SIGTERM finishes the send in flight, prints the summary and exits 0. Broker errors (unreachable
brokers, a topic that does not exist, ...) exit 1 with the reason.
`;

const OPTIONS = new Set(['topic', 'brokers', 'rate', 'burst-ms', 'timing', 'speed', 'loop', 'key', 'partitions', 'batch', 'progress']);
const BOOLEANS = new Set(['loop', 'progress']);
export const BROKERS_ENV = 'ONLINE_LEARNER_SOURCE_BROKERS';
const DEFAULT_BROKERS = 'localhost:9092';

export async function replayCommand(argv: readonly string[], context: CommandContext): Promise<number> {
  const { flags, positionals } = parseArgv(argv, BOOLEANS);
  if (flags.has('help')) {
    context.stdout.write(REPLAY_HELP);
    return 0;
  }
  requireKnown(flags, OPTIONS, 'replay');
  if (positionals.length !== 1) throw new UsageError('replay needs exactly one FILE or STREAM: online-learner replay FILE --topic T');
  const topic = requireFlag(flags, 'topic', 'replay');
  const timing = flags.get('timing') ?? 'none';
  if (timing !== 'none' && timing !== 'recorded') throw new UsageError(`--timing ${timing} is invalid: must be none or recorded`);
  if (flags.has('speed') && timing !== 'recorded') throw new UsageError('--speed applies to --timing recorded only');
  if (flags.has('burst-ms') && !flags.has('rate')) throw new UsageError('--burst-ms applies to --rate only');
  const input = await resolveReplayInput(positionals[0]);
  const kafka = kafkaOptionsOf(flags, context.env);
  const loop = flags.get('loop') === 'true';

  const total = loop ? null : await countRecords(input.path);
  const bar = progressBar('replaying', flags, context);
  const fields = (produced: number) => ({ done: produced, total, loss: null, accuracy: null, rmse: null, rejected: 0 });
  let produced = 0;
  const summary = await withStopSignal(context, 'finishing the send in flight, then stopping', (signal) =>
    runReplay({
      kafka,
      topic,
      path: input.path,
      ratePerSecond: positiveNumber(flags, 'rate'),
      burstMs: positiveNumber(flags, 'burst-ms'),
      timing,
      speed: positiveNumber(flags, 'speed'),
      loop,
      keyField: flags.get('key'),
      createPartitions: positiveInteger(flags, 'partitions'),
      maxBatchRecords: positiveInteger(flags, 'batch'),
      signal,
      onStart: ({ partitions }) => {
        const at = `topic ${topic} (${partitionCount(partitions)}) at ${kafka.brokers.join(',')}`;
        context.stderr.write(`online-learner replay: ${input.description} -> ${at}\n`);
      },
      onProgress: (progress) => {
        produced = progress.produced;
        bar?.update(fields(produced));
      },
    }).finally(() => bar?.finish(fields(produced))),
  );
  context.stdout.write(replaySummaryLine(summary, topic));
  return 0;
}

function replaySummaryLine(s: ReplaySummary, topic: string): string {
  const rate = s.seconds > 0 ? Math.round(s.records / s.seconds) : 0;
  const passes = s.passes === 1 && !s.stopped ? '' : `, ${s.passes} full pass(es)`;
  const keyless = s.keyless > 0 ? `; ${formatCount(s.keyless)} record(s) had no key field and were sent without a key` : '';
  const how = s.stopped ? 'stopped after producing' : 'produced';
  const took = `in ${s.seconds.toFixed(1)} s (${formatCount(rate)} records/s${passes})`;
  return `${how} ${formatCount(s.records)} records to ${topic} ${took}${keyless}\n`;
}

/** Runs `job` with an AbortSignal that SIGINT / SIGTERM abort (the job then ends normally). */
export async function withStopSignal<T>(context: CommandContext, note: string, job: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    context.stderr.write(`\n${signal}: ${note}\n`);
    stop.abort();
  };
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
  for (const s of signals) context.process.on(s, onSignal);
  try {
    return await job(stop.signal);
  } finally {
    for (const s of signals) context.process.off(s, onSignal);
  }
}

/** --brokers, else the environment variable train reads, else localhost:9092. */
export function kafkaOptionsOf(flags: ReadonlyMap<string, string>, env: CommandContext['env']): KafkaClientOptions {
  const list = flags.get('brokers') ?? env[BROKERS_ENV] ?? DEFAULT_BROKERS;
  const brokers = list.split(',').map((b) => b.trim()).filter((b) => b !== '');
  if (brokers.length === 0) throw new UsageError('--brokers needs at least one host:port');
  return { brokers, clientId: 'online-learner-cli' };
}

export function requireKnown(flags: ReadonlyMap<string, string>, known: ReadonlySet<string>, command: string): void {
  for (const name of flags.keys()) {
    if (!known.has(name)) throw new UsageError(`unknown option --${name}; see 'online-learner ${command} --help'`);
  }
}

export function requireFlag(flags: ReadonlyMap<string, string>, name: string, command: string): string {
  const value = flags.get(name);
  if (value === undefined || value === '') throw new UsageError(`${command} needs --${name}; see 'online-learner ${command} --help'`);
  return value;
}

export function positiveInteger(flags: ReadonlyMap<string, string>, name: string): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(v) || !Number.isSafeInteger(Number(v))) {
    throw new UsageError(`--${name} ${v} is invalid: must be a positive integer`);
  }
  return Number(v);
}

export function positiveNumber(flags: ReadonlyMap<string, string>, name: string): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} ${v} is invalid: must be a positive number`);
  return n;
}

export function partitionCount(n: number): string {
  return n === 1 ? '1 partition' : `${n} partitions`;
}

/** A bar on stderr: --progress draws it anywhere, --no-progress nowhere, neither on a terminal only. */
export function progressBar(label: string, flags: ReadonlyMap<string, string>, context: CommandContext): ProgressBar | null {
  const wanted = flags.get('progress');
  if (wanted === 'false') return null;
  return new ProgressBar({ label, stream: context.stderr as NodeJS.WriteStream, force: wanted === 'true' ? true : undefined, unit: 'records' });
}
