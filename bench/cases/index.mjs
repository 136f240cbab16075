/**
 * The benchmark cases, in the order `node bench/run.mjs` runs them. To add one, write a module like
 * mlp-statsville.mjs (name, title, unitOfWork, metric, initialUnits, targets, contestants(ctx)) and
 * list it here; see bench/README.md.
 */
import adam4m from './adam-4m.mjs';
import kafkaBacklogMemory from './kafka-backlog-memory.mjs';
import kafkaE2e from './kafka-e2e.mjs';
import { logregLargeB1, logregLargeB32 } from './logreg-large.mjs';
import mlp784 from './mlp-784.mjs';
import mlpStatsville from './mlp-statsville.mjs';

export const CASES = [mlpStatsville, adam4m, logregLargeB1, logregLargeB32, mlp784, kafkaE2e, kafkaBacklogMemory];
