/**
 * The standardization stage. The standardizer is shared, not per-subscription, state on purpose: it is
 * the preprocessing state the checkpoint saves and restores (DESIGN.md §2).
 */
import { map } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import type { OnlineStandardizer } from './welford.js';
import type { Sample } from './sample.js';

export function standardize(standardizer: OnlineStandardizer): OperatorFunction<Sample, Sample> {
  // A new x per sample rather than in place: whoever else holds the decoded sample (a tap, a recorder)
  // keeps the raw features.
  return map((sample) => ({ ...sample, x: standardizer.updateAndTransform(sample.x) }));
}
