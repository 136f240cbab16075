/**
 * Runs one case: every contestant in the same run, calibrated to a similar time per repetition, warmed
 * up, then measured in interleaved rounds (A B C, B C A, C A B, ...) so that the machine's slow and fast
 * moments fall on all of them alike. Figures are medians over the rounds, by the wall clock and by
 * process CPU time; ratios are ratios of medians.
 */
import { Skip } from './contestants.mjs';
import { summarize } from './stats.mjs';

export const CLOCKS = ['wall', 'cpu'];

/**
 * @param spec the case module's default export (bench/README.md, "Adding a case")
 * @param ctx  shared resources: tmpDir, python, peer(), compileC(), loadDataset(), log()
 * @param options reps, warmup, secondsPerRep
 */
export async function runCase(spec, ctx, options) {
  const contestants = await spec.contestants(ctx);
  const entries = contestants.map((contestant) => ({ contestant, info: {}, status: 'pending', units: 0, timings: [] }));
  try {
    for (const entry of entries) await start(entry, ctx);
    const active = () => entries.filter((entry) => entry.status === 'running');
    for (const entry of active()) await guarded(entry, ctx, () => calibrate(entry, spec, options));
    for (let w = 0; w < options.warmup; w++) {
      for (const entry of active()) await guarded(entry, ctx, () => entry.contestant.run(entry.units));
    }
    for (let round = 0; round < options.reps; round++) {
      for (const entry of rotate(active(), round)) {
        await guarded(entry, ctx, async () => entry.timings.push(await entry.contestant.run(entry.units)));
      }
      ctx.log(`  ${spec.name}: round ${round + 1}/${options.reps}`);
    }
  } finally {
    for (const entry of entries) await entry.contestant.stop().catch(() => {});
  }
  return resultOf(spec, entries);
}

async function start(entry, ctx) {
  await guarded(entry, ctx, async () => {
    entry.info = await entry.contestant.start();
    entry.status = 'running';
  });
}

async function guarded(entry, ctx, work) {
  try {
    await work();
  } catch (error) {
    entry.status = error instanceof Skip ? 'skipped' : 'failed';
    entry.reason = error.message;
    ctx.log(`  ${entry.contestant.name}: ${entry.status} (${error.message})`);
  }
}

/**
 * Sizes the work per repetition so that one takes about `secondsPerRep`, whatever the contestant's
 * speed: grow until a run is long enough to time, then rescale until a run lands near the target
 * (the first runs are also the slowest, before the JIT or the caches are warm).
 */
async function calibrate(entry, spec, options) {
  const target = options.secondsPerRep;
  let units = spec.initialUnits;
  let { seconds } = await entry.contestant.run(units);
  while (seconds < target / 3) {
    units = Math.ceil(units * Math.min(10, target / Math.max(seconds, target / 1000)));
    ({ seconds } = await entry.contestant.run(units));
  }
  for (let pass = 0; pass < 4; pass++) {
    units = Math.max(1, Math.round((units * target) / seconds));
    ({ seconds } = await entry.contestant.run(units));
    if (seconds > target * 0.7 && seconds < target * 1.4) break;
  }
  entry.units = units;
}

function rotate(list, by) {
  if (list.length === 0) return list;
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

function resultOf(spec, entries) {
  const measured = (entry) => entry.status === 'running' && entry.timings.length > 0;
  const rows = entries.map((entry) => {
    const { contestant, info, reason, units, timings } = entry;
    const row = {
      name: contestant.name,
      role: contestant.role,
      describe: contestant.describe,
      status: measured(entry) ? 'measured' : entry.status,
      reason,
      info,
      unitsPerRep: units,
      timings,
      wall: null,
      cpu: null,
    };
    if (measured(entry)) {
      for (const clock of CLOCKS) {
        const values = timings.map((t) => spec.metric.of(units, clock === 'wall' ? t.seconds : t.cpuSeconds));
        row[clock] = { values, ...summarize(values) };
      }
    }
    return row;
  });
  const ours = rows.find((row) => row.role === 'ours' && row.wall !== null);
  /** How many times faster ours is than `row` by `clock` (below 1: slower). */
  const speedupOver = (row, clock, base = ours) => {
    if (base === undefined || row === undefined || row[clock] === null) return null;
    const a = base[clock].median;
    const b = row[clock].median;
    return spec.metric.higherIsBetter ? a / b : b / a;
  };
  for (const row of rows) row.speedup = Object.fromEntries(CLOCKS.map((clock) => [clock, speedupOver(row, clock)]));
  // A case's derived figures (e.g. GFLOP/s from samples/s), kept as plain values so the JSON has them too.
  for (const row of rows) {
    row.columns = row.wall === null ? {} : Object.fromEntries((spec.columns ?? []).map((column) => [column.header, column.of(row)]));
  }
  // A target compares `target.ours` (a contestant's name; default: the case's main row) with `target.peer`.
  const targets = (spec.targets ?? []).map((target) => {
    const row = rows.find((r) => r.name === target.peer);
    const base = target.ours === undefined ? ours : rows.find((r) => r.name === target.ours && r.wall !== null);
    const speedup = Object.fromEntries(CLOCKS.map((clock) => [clock, speedupOver(row, clock, base)]));
    const met = Object.fromEntries(CLOCKS.map((clock) => [clock, speedup[clock] === null ? null : speedup[clock] >= target.minSpeedup]));
    return { ...target, speedup, met };
  });
  return {
    name: spec.name,
    title: spec.title,
    unit: spec.metric.unit,
    higherIsBetter: spec.metric.higherIsBetter,
    unitOfWork: spec.unitOfWork,
    baseline: ours?.name ?? null,
    columns: (spec.columns ?? []).map((column) => column.header),
    contestants: rows,
    targets,
    notes: spec.notes?.(rows) ?? [],
  };
}
