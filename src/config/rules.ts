/**
 * Number rules shared by the config sections, written once so that every section states them the same
 * way and the reference renders them the same way (`>= 0`, `integer >= 1`, `in [0, 1)`).
 * Every number is finite: a YAML `.nan` or `.inf` must not reach an optimizer.
 */
import { z } from 'zod';

export const finite = (): z.ZodNumber => z.number().finite();
export const nonNegative = (): z.ZodNumber => finite().min(0);
export const positive = (): z.ZodNumber => finite().positive();
export const positiveInt = (): z.ZodNumber => z.number().int().min(1);
export const nonNegativeInt = (): z.ZodNumber => z.number().int().min(0);
/** [0, 1): a decay rate that must leave something of the new value (Adam's betas, dropout). */
export const unitHalfOpen = (): z.ZodNumber => finite().min(0).lt(1);
/** [0, 1]. */
export const unitClosed = (): z.ZodNumber => finite().min(0).max(1);
