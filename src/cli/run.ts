/** Dispatches `online-learner <command> ...` and returns the process exit code. */
export async function run(argv: readonly string[]): Promise<number> {
  const [command] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  process.stderr.write(`online-learner: unknown command '${command}'\n\n${usage()}`);
  return 2;
}

function usage(): string {
  return [
    'Usage: online-learner <command> [options]',
    '',
    'Commands:',
    '  help            show this help',
    '',
  ].join('\n');
}
