/** How a field path is spelled as an environment variable and as a flag, and "did you mean" suggestions. */
export const ENV_PREFIX = 'ONLINE_LEARNER_';
/** Names the config path of the YAML file; not a field. */
export const CONFIG_FILE_ENV = `${ENV_PREFIX}CONFIG`;

/** ['optimizer', 'weightDecay'] -> ONLINE_LEARNER_OPTIMIZER_WEIGHT_DECAY. */
export function envNameOf(path: readonly string[]): string {
  return ENV_PREFIX + path.map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_');
}

/** ['optimizer', 'weightDecay'] -> --optimizer.weightDecay. */
export function flagNameOf(path: readonly string[]): string {
  return `--${path.join('.')}`;
}

/** 'optimizer.betas[1]' style, for messages. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out;
}

/** The closest candidate within a small edit distance, for "did you mean" hints. */
export function closest(word: string, candidates: Iterable<string>): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance, two rows. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
