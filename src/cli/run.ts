/** Dispatches `online-learner <command> ...` and returns the process exit code. */
import { LearnerError } from '../errors.js';
import { UsageError } from './argv.js';
import type { CommandContext } from './commands/context.js';
import { recordCommand } from './commands/record.js';
import { replayCommand } from './commands/replay.js';
import { generateCommand, streamsCommand } from './commands/streams.js';
import { evaluateCommand, trainCommand } from './commands/train.js';

type Command = (argv: readonly string[], context: CommandContext) => Promise<number>;

const COMMANDS: ReadonlyArray<{ name: string; summary: string; run: Command }> = [
  { name: 'train', summary: 'train continuously from a recorded stream, a file or a Kafka topic', run: trainCommand },
  { name: 'evaluate', summary: 'prequential evaluation of a recorded .jsonl(.gz) file', run: evaluateCommand },
  { name: 'streams', summary: 'list the recorded streams shipped in streams/', run: streamsCommand },
  { name: 'generate', summary: 'write a recorded stream with its deterministic generator', run: generateCommand },
  { name: 'replay', summary: 'produce a recorded file or stream into a Kafka topic (rate, timing, loop)', run: replayCommand },
  { name: 'record', summary: 'consume a Kafka topic into a replayable, trainable .jsonl(.gz) file', run: recordCommand },
];

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    'Usage: online-learner <command> [options]',
    '',
    'Trains machine-learning models continuously from a stream (Kafka or recorded files), with',
    "PyTorch's optimizer and loss semantics and Prometheus metrics.",
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    "Run 'online-learner <command> --help' for a command's options.",
    '',
  ].join('\n');
}

export async function run(argv: readonly string[], context?: Partial<CommandContext>): Promise<number> {
  const ctx: CommandContext = {
    stdout: context?.stdout ?? process.stdout,
    stderr: context?.stderr ?? process.stderr,
    env: context?.env ?? process.env,
    process: context?.process ?? process,
    runJob: context?.runJob,
  };
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    if (topic !== undefined) return topic.run(['--help'], ctx);
    ctx.stdout.write(usage());
    return 0;
  }
  if (name === '--version') {
    ctx.stdout.write(`${await version()}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    ctx.stderr.write(`online-learner: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest, ctx);
  } catch (err) {
    if (err instanceof UsageError) {
      ctx.stderr.write(`online-learner ${name}: ${err.message}\n`);
      return 2;
    }
    if (err instanceof LearnerError) {
      ctx.stderr.write(`online-learner ${name}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
