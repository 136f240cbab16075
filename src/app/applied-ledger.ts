/**
 * A test-only audit trail of which records went into the model, for the exactly-once fault tests
 * (issue 7): enabled by the environment variable LEARNER_APPLIED_LEDGER=FILE on `online-learner train`.
 *
 * Lines, appended synchronously (a SIGKILL loses no line written before it):
 *   start S                  a run began with S steps already applied (restored from a checkpoint)
 *   step N ID ID ...         step N applied the samples with these ids (a record's `id`, else its origin
 *                            and, in a binary record, the sample's index; URI-encoded)
 *
 * A step written after the last durable checkpoint dies with a killed process: the model it changed is
 * gone, and the next run resumes from the checkpoint and applies those records again. So the records the
 * final model contains are read back with roll-backs: a `start S` line discards every step above S.
 */
import { appendFileSync } from 'node:fs';
import type { Learner, LearnerEvent } from '../pipeline/learner.js';
import type { Sample } from '../pipeline/sample.js';

export const APPLIED_LEDGER_ENV = 'LEARNER_APPLIED_LEDGER';

export class AppliedLedger {
  constructor(private readonly path: string) {}

  /** Once the learner is restored, before its first record. */
  started(learner: Learner): void {
    // The leading newline ends a line torn by a kill, so that it cannot swallow this one.
    appendFileSync(this.path, `\nstart ${learner.counters.batchesApplied}\n`);
  }

  onEvent(event: LearnerEvent, learner: Learner): void {
    if (event.kind !== 'step' || !event.report.applied) return;
    appendFileSync(this.path, `step ${learner.counters.batchesApplied} ${event.samples.map((sample) => encodeURIComponent(idOf(sample))).join(' ')}\n`);
  }
}

function idOf(sample: Sample): string {
  if (sample.id !== undefined) return sample.id;
  const o = sample.origin;
  const record = o.kind === 'kafka' ? `${o.topic}/${o.partition}/${o.offset}` : o.kind === 'file' ? `${o.path}:${o.line}` : `#${o.index}`;
  // A binary record carries many samples: each is its own entry.
  return sample.part === undefined ? record : `${record}.${sample.part.index}`;
}

/**
 * How many times each id is in the final model, from a ledger's text. A torn last line (the process
 * was killed mid-write) is ignored: its step was never checkpointed.
 */
export function appliedCounts(ledger: string): Map<string, number> {
  const steps: Array<{ step: number; ids: string[] }> = [];
  const lines = ledger.split('\n');
  // Empty after the final newline, or torn: either way not a whole line.
  lines.pop();
  for (const line of lines) {
    const [kind, n, ...ids] = line.split(' ');
    const step = Number(n);
    if (!Number.isInteger(step)) continue;
    if (kind === 'start') {
      while (steps.length > 0 && steps[steps.length - 1].step > step) steps.pop();
    } else if (kind === 'step') {
      steps.push({ step, ids: ids.map(decodeURIComponent) });
    }
  }
  const counts = new Map<string, number>();
  for (const { ids } of steps) for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}
