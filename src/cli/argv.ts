/**
 * A small, strict argv parser: `--name value`, `--name=value`, boolean `--flag` / `--no-flag`, and
 * positionals. Which flags are boolean is declared; every other flag takes a value. Unknown flags are
 * the caller's to judge (the train command passes `--section.field` through to the config).
 */
export interface ParsedArgs {
  readonly positionals: string[];
  /** Flag name (without dashes) → value; booleans are 'true' / 'false' strings like any other value. */
  readonly flags: Map<string, string>;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseArgv(argv: readonly string[], booleans: ReadonlySet<string>): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '--') {
      if (arg.startsWith('-') && arg.length > 1 && arg !== '-h') throw new UsageError(`unknown option '${arg}' (options are spelled --name)`);
      positionals.push(arg === '-h' ? '--help' : arg);
      continue;
    }
    const body = arg.slice(2);
    const eq = body.indexOf('=');
    let name = eq >= 0 ? body.slice(0, eq) : body;
    let value: string | undefined = eq >= 0 ? body.slice(eq + 1) : undefined;
    if (value === undefined && name.startsWith('no-') && booleans.has(name.slice(3))) {
      name = name.slice(3);
      value = 'false';
    }
    if (value === undefined) {
      if (booleans.has(name) || name === 'help') value = 'true';
      else {
        const next = argv[i + 1];
        if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(`option --${name} needs a value`);
        value = next;
        i++;
      }
    }
    if (flags.has(name)) throw new UsageError(`option --${name} is given twice`);
    flags.set(name, value);
  }
  return { positionals, flags };
}
