/** Option checks that fail fast with the field, the value and the rule. */
import { ConfigError } from '../../errors.js';

export function requirePositiveInteger(field: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigError(`${field}: ${JSON.stringify(value)} must be a positive integer`);
  }
}

export function requireNonNegativeInteger(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new ConfigError(`${field}: ${JSON.stringify(value)} must be a non-negative integer`);
  }
}

export function requireNonEmptyString(field: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ConfigError(`${field}: ${JSON.stringify(value)} must be a non-empty string`);
  }
}
