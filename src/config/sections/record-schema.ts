/** The record schema section: RecordSchema plus how to treat undeclared feature names. */
import { z } from 'zod';
import { DEFAULT_MAX_WEIGHT } from '../../pipeline/decode-fields.js';
import { schemaProblems } from '../../pipeline/record-schema.js';
import { COMPLETE_MESSAGE } from '../issues.js';
import { positiveInt } from '../rules.js';

export const recordSchemaSchema = z
  .object({
    features: z
      .union([z.array(z.string().min(1)).min(1), positiveInt()])
      .describe('Feature names in model-input order (records give an object by name or an array by position), or a count for arrays only.'),
    task: z.enum(['regression', 'binary', 'multiclass']).describe('What the label is.'),
    classes: z
      .array(z.string().min(1))
      .optional()
      .describe('Class names; index i is class i (binary: [negative, positive]). Omit when labels are indices.'),
    outputs: positiveInt()
      .optional()
      .describe('Regression: number of targets (default 1). Multiclass without names: number of classes.'),
    unknownFeatures: z
      .enum(['reject', 'ignore'])
      .default('reject')
      .describe('A feature name the schema does not declare: reject the record (`unknown_feature`) or drop the value.'),
    maxWeight: z
      .number()
      .positive()
      .finite()
      .default(DEFAULT_MAX_WEIGHT)
      .describe('Largest sample weight accepted; a heavier record is rejected as `bad_weight` (it would swamp its batch and wreck the model).'),
  })
  .strict()
  .superRefine((schema, ctx) => {
    for (const problem of schemaProblems(schema)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: splitPath(problem.path), message: problem.message, params: COMPLETE_MESSAGE });
    }
  })
  .optional()
  .describe('The record schema; omitted: inferred from the first records and printed.');

/** 'classes[2]' -> ['classes', 2]. */
function splitPath(path: string): Array<string | number> {
  return (path.match(/[^.[\]]+/g) ?? []).map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

export type RecordSchemaConfig = NonNullable<z.output<typeof recordSchemaSchema>>;
