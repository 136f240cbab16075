// Number formatting shared by the live page's tiles, axes and tooltips.

/** 12345 -> "12,345"; null/NaN -> "–". */
export function integer(v) {
  return v === null || !Number.isFinite(v) ? '–' : Math.round(v).toLocaleString('en-US');
}

/** Four significant digits, switching to exponent notation outside [1e-3, 1e5). */
export function figure(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a < 1e-3 || a >= 1e5) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}

/** A ratio 0..1 as a percentage with one decimal. */
export function percent(v) {
  return v === null || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(1)}%`;
}

/** 3200 -> "3.2k", 1.5e6 -> "1.5M": compact axis labels for counts. */
export function compact(v) {
  const a = Math.abs(v);
  if (a >= 1e9) return `${trim(v / 1e9)}G`;
  if (a >= 1e6) return `${trim(v / 1e6)}M`;
  if (a >= 1e3) return `${trim(v / 1e3)}k`;
  return trim(v);
}

function trim(v) {
  return Number(v.toPrecision(3)).toString();
}

/**
 * Tick values for an axis from lo to hi: steps of 1, 2 or 5 times a power of ten, about `count` of
 * them (the usual "nice numbers" rule), so labels stay short.
 */
export function niceTicks(lo, hi, count) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const fraction = raw / power;
  const step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}
