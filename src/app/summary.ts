/**
 * The end-of-run summary, as a table for people and as JSON for scripts (`--summary-json FILE`).
 * The JSON keys are a contract: `samples`, `rejected`, `loss` and `accuracy` (classification) or `rmse`
 * (regression), all prequential over the whole run, plus details that may grow.
 */
import type { LearnerSummary } from '../pipeline/learner.js';
import { formatCount } from './progress.js';

export interface RunSummaryJson {
  readonly samples: number;
  readonly rejected: number;
  /** Running (EMA) training loss at the end; null when no step ran. */
  readonly loss: number | null;
  readonly accuracy?: number | null;
  readonly rmse?: number | null;
  readonly logLoss: number | null;
  readonly windowAccuracy?: number | null;
  readonly windowRmse?: number | null;
  readonly records: number;
  readonly steps: number;
  readonly rejectedByReason: Readonly<Record<string, number>>;
  readonly samplesRefused: number;
  readonly seconds: number;
  readonly samplesPerSecond: number;
}

export function summaryJson(summary: LearnerSummary, seconds: number): RunSummaryJson {
  const q = summary.quality;
  const quality =
    q.task === 'regression'
      ? { rmse: q.rmse, windowRmse: q.windowRmse }
      : { accuracy: q.accuracy, windowAccuracy: q.windowAccuracy };
  return {
    samples: summary.samples,
    rejected: summary.rejected,
    loss: summary.runningLoss,
    ...quality,
    logLoss: q.logLoss,
    records: summary.records,
    steps: summary.steps,
    rejectedByReason: summary.rejectedByReason,
    samplesRefused: summary.samplesRefused,
    seconds,
    samplesPerSecond: seconds > 0 ? summary.samples / seconds : 0,
  };
}

export function summaryTable(summary: LearnerSummary, seconds: number, window: number): string {
  const q = summary.quality;
  const num = (v: number | null | undefined, digits = 4): string => (v === null || v === undefined ? '-' : v.toFixed(digits));
  const rows: Array<[string, string]> = [
    ['records read', formatCount(summary.records)],
    ['samples trained', formatCount(summary.samples)],
    ['rejected', formatCount(summary.rejected) + reasons(summary.rejectedByReason)],
  ];
  if (summary.samplesRefused > 0) rows.push(['refused (non-finite)', formatCount(summary.samplesRefused)]);
  rows.push(['optimizer steps', formatCount(summary.steps)], ['running loss', num(summary.runningLoss)]);
  if (q.task === 'regression') {
    rows.push(['prequential rmse', num(q.rmse)], [`rmse, last ${formatCount(window)}`, num(q.windowRmse)]);
  } else {
    rows.push(['prequential accuracy', num(q.accuracy)], [`accuracy, last ${formatCount(window)}`, num(q.windowAccuracy)]);
  }
  if (q.logLoss !== null) rows.push(['prequential log-loss', num(q.logLoss)]);
  rows.push(['time', `${seconds.toFixed(2)} s (${formatCount(Math.round(seconds > 0 ? summary.samples / seconds : 0))} samples/s)`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n') + '\n';
}

function reasons(byReason: Readonly<Record<string, number>>): string {
  const entries = Object.entries(byReason).filter(([, n]) => n > 0);
  return entries.length === 0 ? '' : ` (${entries.map(([r, n]) => `${r}: ${formatCount(n)}`).join(', ')})`;
}
