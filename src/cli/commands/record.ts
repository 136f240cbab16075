/** `online-learner record --topic T --out FILE`: consume a topic into a replayable, trainable file. */
import { formatCount } from '../../app/progress.js';
import { runRecord } from '../../app/record.js';
import type { RecordSummary } from '../../app/record.js';
import { parseArgv, UsageError } from '../argv.js';
import type { CommandContext } from './context.js';
import {
  kafkaOptionsOf,
  partitionCount,
  positiveInteger,
  progressBar,
  requireFlag,
  requireKnown,
  withStopSignal,
} from './replay.js';

export const RECORD_HELP = `Usage: online-learner record --topic T --out FILE [options]

Consumes Kafka topic T into FILE (.jsonl, or gzip for .gz; replaced if it exists). Each line is the
record's JSON value with its partition, offset, timestamp and key added as a "_kafka" member, so the
file trains and evaluates like any recorded stream and replays with 'online-learner replay FILE'
(--timing recorded reproduces the gaps between records). Values that are not one-line JSON objects are
kept exactly, base64-encoded in an envelope line (see streams/README.md).

Options:
  --topic T            topic to record
  --out FILE           file to write
  --brokers LIST       bootstrap brokers host:port,host:port (default: $ONLINE_LEARNER_SOURCE_BROKERS,
                       else localhost:9092)
  --from-beginning     start at the earliest retained record (default: only records produced from now on)
  --max N              stop after N records
  --idle-exit-ms M     stop after M milliseconds without a record
  --group G            consumer group id (default: a fresh random one; nothing is ever committed)
  --no-progress        no progress line (it is drawn only on a terminal anyway)

SIGINT/SIGTERM stops consuming, writes what was consumed, closes the file and exits 0.
`;

const OPTIONS = new Set(['topic', 'out', 'brokers', 'from-beginning', 'max', 'idle-exit-ms', 'group', 'progress']);
const BOOLEANS = new Set(['from-beginning', 'progress']);

export async function recordCommand(argv: readonly string[], context: CommandContext): Promise<number> {
  const { flags, positionals } = parseArgv(argv, BOOLEANS);
  if (flags.has('help')) {
    context.stdout.write(RECORD_HELP);
    return 0;
  }
  requireKnown(flags, OPTIONS, 'record');
  if (positionals.length > 0) {
    throw new UsageError(`record takes no positional arguments (got ${positionals.join(' ')}); the file is --out FILE`);
  }
  const topic = requireFlag(flags, 'topic', 'record');
  const out = requireFlag(flags, 'out', 'record');
  const maxRecords = positiveInteger(flags, 'max');
  const kafka = kafkaOptionsOf(flags, context.env);

  const bar = progressBar('recording', flags, context);
  const fields = (done: number) => ({ done, total: maxRecords ?? null, loss: null, accuracy: null, rmse: null, rejected: 0 });
  let recorded = 0;
  const summary = await withStopSignal(context, 'writing what was consumed, then stopping', (signal) =>
    runRecord({
      kafka,
      topic,
      out,
      fromBeginning: flags.get('from-beginning') === 'true',
      maxRecords,
      idleExitMs: positiveInteger(flags, 'idle-exit-ms'),
      groupId: flags.get('group'),
      signal,
      onStart: ({ partitions }) => {
        const from = `topic ${topic} (${partitionCount(partitions)}) at ${kafka.brokers.join(',')}`;
        context.stderr.write(`online-learner record: ${from} -> ${out}\n`);
      },
      onProgress: (n) => {
        recorded = n;
        bar?.update(fields(recorded));
      },
      warn: (message) => context.stderr.write(`online-learner record: ${message}\n`),
    }).finally(() => bar?.finish(fields(recorded))),
  );
  context.stdout.write(recordSummaryLine(summary, topic, out));
  return 0;
}

const END_REASON: Readonly<Record<RecordSummary['end'], string>> = {
  max: 'reached --max',
  idle: 'idle for --idle-exit-ms',
  stopped: 'stopped by signal',
};

function recordSummaryLine(s: RecordSummary, topic: string, out: string): string {
  const parts = Object.entries(s.byPartition)
    .map(([partition, n]) => `${partition}: ${formatCount(n)}`)
    .join(', ');
  const perPartition = parts === '' ? '' : ` (per partition ${parts})`;
  const took = `in ${s.seconds.toFixed(1)} s; ${END_REASON[s.end]}`;
  return `recorded ${formatCount(s.records)} records of ${topic}${perPartition} to ${out} ${took}\n`;
}
