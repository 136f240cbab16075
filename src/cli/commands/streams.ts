/** `online-learner streams` and `online-learner generate NAME --out FILE`. */
import { writeStream } from '../../streams/write.js';
import { listStreams } from '../../streams/catalogue.js';
import { parseArgv, UsageError } from '../argv.js';
import type { CommandContext } from './context.js';

export const STREAMS_HELP = `Usage: online-learner streams

Lists the recorded streams shipped in streams/ (and the generated ones), with their task, features,
labels and size. Train on one with 'online-learner train --stream NAME'.
`;

export const GENERATE_HELP = `Usage: online-learner generate NAME --out FILE [--seed S] [--records N]

Writes stream NAME with its deterministic generator to FILE (.jsonl, or gzip for .gz) and prints its
sha256 (of the uncompressed JSON lines). The default seed and count reproduce the shipped file.
`;

export async function streamsCommand(argv: readonly string[], context: CommandContext): Promise<number> {
  const { flags, positionals } = parseArgv(argv, new Set());
  if (flags.has('help')) {
    context.stdout.write(STREAMS_HELP);
    return 0;
  }
  if (positionals.length > 0 || flags.size > 0) throw new UsageError("'streams' takes no arguments");
  const rows = listStreams().map((s) => [
    s.name,
    s.task,
    `${s.featureNames.length} ${s.featureFormat === 'object' ? 'named' : 'positional'}`,
    s.classes.length > 0 ? s.classes.join('/') : 'number',
    s.defaultRecords.toLocaleString('en-US'),
    s.file === null ? 'generated' : `streams/${s.file}`,
    s.description,
  ]);
  const head = ['name', 'task', 'features', 'labels', 'records', 'file', 'description'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  context.stdout.write([line(head), ...rows.map(line)].join('\n') + '\n');
  return 0;
}

export async function generateCommand(argv: readonly string[], context: CommandContext): Promise<number> {
  const { flags, positionals } = parseArgv(argv, new Set());
  if (flags.has('help')) {
    context.stdout.write(GENERATE_HELP);
    return 0;
  }
  for (const name of flags.keys()) {
    if (!['out', 'seed', 'records'].includes(name)) throw new UsageError(`unknown option --${name}; see 'online-learner generate --help'`);
  }
  const [name, ...rest] = positionals;
  if (name === undefined || rest.length > 0) throw new UsageError('generate needs exactly one stream NAME: online-learner generate NAME --out FILE');
  const out = flags.get('out');
  if (out === undefined) throw new UsageError('generate needs --out FILE');
  const integer = (flag: string): number | undefined => {
    const v = flags.get(flag);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new UsageError(`--${flag} ${v} is invalid: must be a non-negative integer`);
    return Number(v);
  };
  const digest = await writeStream(name, { out, seed: integer('seed'), records: integer('records') });
  context.stdout.write(`wrote ${digest.records.toLocaleString('en-US')} records of '${name}' to ${out}\nsha256 ${digest.sha256}\n`);
  return 0;
}
