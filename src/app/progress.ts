/**
 * A one-line progress bar on a TTY stream (stderr), redrawn at most every `intervalMs`:
 *
 *   training  ████████████░░░░░░░░  61%  6,100/10,000  24,310 samples/s  loss 0.1132  acc 0.962  eta 0s
 *
 * On a non-TTY stream (CI logs, pipes) it prints nothing while running; the summary says it all.
 * Time is injected (`now`) so the rendering is testable.
 */
export interface ProgressFields {
  readonly done: number;
  /** Known length of the run, or null for an open-ended stream (then no bar and no eta). */
  readonly total: number | null;
  readonly loss: number | null;
  readonly accuracy: number | null;
  readonly rmse: number | null;
  readonly rejected: number;
}

export interface ProgressOptions {
  readonly label: string;
  readonly stream: NodeJS.WriteStream | { isTTY?: boolean; columns?: number; write(chunk: string): boolean };
  readonly intervalMs?: number;
  readonly now?: () => number;
  /** true: draw even when the stream is not a TTY; false: never draw; absent: only on a TTY. */
  readonly force?: boolean;
  /** What `done` counts, for the rate (default 'samples'). */
  readonly unit?: string;
}

const BAR_WIDTH = 20;

export class ProgressBar {
  private readonly start: number;
  private lastDraw = -Infinity;
  private drawn = false;
  private readonly enabled: boolean;
  private readonly now: () => number;
  private readonly intervalMs: number;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? (() => performance.now());
    this.intervalMs = options.intervalMs ?? 100;
    this.start = this.now();
    this.enabled = options.force ?? options.stream.isTTY === true;
  }

  /** False when nothing is ever drawn: callers skip computing the fields (a per-step cost otherwise). */
  get active(): boolean {
    return this.enabled;
  }

  update(fields: ProgressFields): void {
    if (!this.enabled) return;
    const t = this.now();
    if (t - this.lastDraw < this.intervalMs) return;
    this.lastDraw = t;
    this.options.stream.write(`\r${renderProgress(this.options.label, fields, (t - this.start) / 1000, this.options.unit)}\x1b[K`);
    this.drawn = true;
  }

  /** Draws the final state and moves to a new line. */
  finish(fields: ProgressFields): void {
    if (!this.enabled) return;
    this.lastDraw = -Infinity;
    this.update(fields);
    if (this.drawn) this.options.stream.write('\n');
  }
}

export function renderProgress(label: string, f: ProgressFields, elapsedSeconds: number, unit = 'samples'): string {
  const parts = [label.padEnd(9)];
  const rate = elapsedSeconds > 0 ? f.done / elapsedSeconds : 0;
  if (f.total !== null && f.total > 0) {
    const fraction = Math.min(1, f.done / f.total);
    const filled = Math.round(fraction * BAR_WIDTH);
    parts.push('█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled), `${String(Math.floor(fraction * 100)).padStart(3)}%`);
    parts.push(`${formatCount(f.done)}/${formatCount(f.total)}`);
  } else {
    parts.push(formatCount(f.done));
  }
  parts.push(`${formatCount(Math.round(rate))} ${unit}/s`);
  if (f.loss !== null) parts.push(`loss ${f.loss.toFixed(4)}`);
  if (f.accuracy !== null) parts.push(`acc ${f.accuracy.toFixed(3)}`);
  if (f.rmse !== null) parts.push(`rmse ${f.rmse.toPrecision(4)}`);
  if (f.rejected > 0) parts.push(`rejected ${formatCount(f.rejected)}`);
  if (f.total !== null && rate > 0 && f.done < f.total) parts.push(`eta ${Math.ceil((f.total - f.done) / rate)}s`);
  return parts.join('  ');
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
