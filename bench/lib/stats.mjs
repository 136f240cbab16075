/** Order statistics of a sample of repetitions (medians resist the outliers of a shared, noisy machine). */

export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function median(values) {
  return quantile(values, 0.5);
}

/** Median, extremes and the interquartile range relative to the median (a noise figure). */
export function summarize(values) {
  const med = median(values);
  return {
    median: med,
    min: Math.min(...values),
    max: Math.max(...values),
    relativeIqr: (quantile(values, 0.75) - quantile(values, 0.25)) / med,
    reps: values.length,
  };
}
