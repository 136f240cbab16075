/** The printed table of a run and its JSON record. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** 3 significant digits with an SI suffix for large values: 1.23M, 45.6k, 2.71. */
export function formatValue(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toPrecision(3)}G`;
  if (abs >= 1e6) return `${(value / 1e6).toPrecision(3)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toPrecision(3)}k`;
  return value.toPrecision(3);
}

export function formatSpeedup(speedup) {
  if (speedup === null || speedup === undefined) return '-';
  if (speedup >= 1) return `${speedup.toPrecision(3)}x faster`;
  return `${(1 / speedup).toPrecision(3)}x slower`;
}

function table(header, rows) {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] ?? '').length)));
  const line = (cells) => cells.map((cell = '', c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatCase(result) {
  const better = result.higherIsBetter ? 'higher is better' : 'lower is better';
  const out = [
    `\n## ${result.name}: ${result.title}`,
    `   ${result.unit}, ${better}; medians of interleaved repetitions by wall clock and by process CPU time\n`,
  ];
  // A case's own columns (runner.mjs); a case with its own run() may not have any.
  const columns = result.columns ?? [];
  const rows = result.contestants.filter((row) => row.wall !== null).map((row) => {
    const baseline = row.name === result.baseline;
    return [
      baseline ? `${row.name} *` : row.name,
      formatValue(row.wall.median),
      `${formatValue(row.wall.min)}..${formatValue(row.wall.max)}`,
      `${(100 * row.wall.relativeIqr).toFixed(0)}%`,
      formatValue(row.cpu.median),
      `${row.wall.reps} x ${formatValue(row.unitsPerRep)}`,
      baseline ? 'baseline' : formatSpeedup(row.speedup.wall),
      baseline ? 'baseline' : formatSpeedup(row.speedup.cpu),
      ...columns.map((header) => row.columns[header] ?? '-'),
    ];
  });
  const ours = result.baseline ?? 'ours';
  out.push(
    table(
      ['contestant', 'wall', 'wall min..max', 'IQR', 'cpu', `reps x ${result.unitOfWork}`, `${ours} is (wall)`, `${ours} is (cpu)`, ...columns],
      rows,
    ),
  );
  for (const row of result.contestants) {
    if (row.wall === null) out.push(`   ${row.name}: ${row.status.toUpperCase()}: ${row.reason ?? 'no figures'}`);
    else if (row.describe) out.push(`   ${row.name}: ${row.describe}`);
  }
  for (const target of result.targets) {
    const verdict = (clock) => (target.met[clock] === null ? 'not measured' : target.met[clock] ? 'MET' : 'MISSED');
    out.push(
      `   target: ${target.text}: wall ${formatSpeedup(target.speedup.wall)} (${verdict('wall')}), ` +
        `cpu ${formatSpeedup(target.speedup.cpu)} (${verdict('cpu')})`,
    );
  }
  for (const note of result.notes ?? []) out.push(`   ${note}`);
  return out.join('\n');
}

/** Writes results/<timestamp>.json and returns its path. */
export function writeJson(resultsDir, record) {
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${record.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}
