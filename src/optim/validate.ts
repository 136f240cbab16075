/**
 * Hyper-parameter checks shared by the optimizers and schedules. The rules are torch's (the checks in
 * each torch.optim constructor), plus "a finite number" for every numeric field, because a YAML typo
 * that yields NaN would otherwise poison the parameters silently.
 *
 * Every failure is a ConfigError naming the field, the value and the rule, e.g.
 * `adam.betas[1] = 1 is invalid: must be in [0, 1)`.
 */
import { ConfigError } from '../errors.js';

export function invalid(field: string, value: unknown, rule: string): never {
  throw new ConfigError(`${field} = ${show(value)} is invalid: ${rule}`);
}

// Numbers via String so that NaN and Infinity read as themselves (JSON.stringify would print null).
function show(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || value === undefined) return String(value);
  return JSON.stringify(value) ?? String(value);
}

/** Any finite number (e.g. SGD dampening, which torch does not range-check). */
export function finiteNumber(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) invalid(field, value, 'must be a finite number');
  return value;
}

export function nonNegative(field: string, value: unknown): number {
  const v = finiteNumber(field, value);
  if (v < 0) invalid(field, value, 'must be >= 0');
  return v;
}

export function positive(field: string, value: unknown): number {
  const v = finiteNumber(field, value);
  if (v <= 0) invalid(field, value, 'must be > 0');
  return v;
}

export function positiveInteger(field: string, value: unknown): number {
  const v = finiteNumber(field, value);
  if (!Number.isInteger(v) || v <= 0) invalid(field, value, 'must be a positive integer');
  return v;
}

/** [0, 1): torch's rule for Adam's betas (1 would freeze the moment and divide by 1 - 1 = 0). */
export function unitIntervalHalfOpen(field: string, value: unknown): number {
  const v = finiteNumber(field, value);
  if (!(v >= 0 && v < 1)) invalid(field, value, 'must be in [0, 1)');
  return v;
}

/** [0, 1]: a decay rate of an average (1 keeps the average fixed, anything above makes it diverge). */
export function unitInterval(field: string, value: unknown): number {
  const v = finiteNumber(field, value);
  if (!(v >= 0 && v <= 1)) invalid(field, value, 'must be in [0, 1]');
  return v;
}

export function boolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') invalid(field, value, 'must be true or false');
  return value;
}

/** Rejects keys the optimizer does not know: a misspelt `weight_decay` must not silently mean 0. */
export function knownKeys(owner: string, config: object, allowed: readonly string[]): void {
  for (const key of Object.keys(config)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(`${owner}.${key} is not an option of ${owner} (options: ${allowed.join(', ')})`);
    }
  }
}
