/**
 * The resident set of another process, sampled from /proc/<pid>/status (Linux): VmRSS, what it holds
 * in RAM now, and VmHWM, the kernel's own high-water mark of VmRSS, which also catches peaks that fall
 * between two samples. Reading the file costs microseconds, so sampling every 250 ms does not disturb
 * the process measured.
 */
import { readFileSync } from 'node:fs';

const KIB = 1024;

/** `{ rssBytes, hwmBytes }` of `pid` now, or null once it exited (or on a system without /proc). */
export function readRss(pid) {
  let status;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return null;
  }
  const rss = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  // A zombie (exited, not yet reaped) has no Vm* lines any more.
  if (rss === null || hwm === null) return null;
  return { rssBytes: Number(rss[1]) * KIB, hwmBytes: Number(hwm[1]) * KIB };
}

/**
 * Samples `pid` every `everyMs` until `stop()`, which returns peak and mean of the samples, the last
 * VmHWM read (the true peak, up to the last sample), the sample count, and a coarse series (one sample
 * every `seriesEveryMs`) for plots: `[{ seconds, rssBytes }]`.
 */
export function sampleRss(pid, { everyMs = 250, seriesEveryMs = 5_000 } = {}) {
  const t0 = performance.now();
  let samples = 0;
  let sum = 0;
  let peak = 0;
  let hwm = 0;
  let nextSeriesMs = 0;
  const series = [];
  const sample = () => {
    const now = readRss(pid);
    if (now === null) return;
    samples++;
    sum += now.rssBytes;
    if (now.rssBytes > peak) peak = now.rssBytes;
    hwm = now.hwmBytes;
    const ms = performance.now() - t0;
    if (ms >= nextSeriesMs) {
      series.push({ seconds: Math.round(ms) / 1000, rssBytes: now.rssBytes });
      nextSeriesMs += seriesEveryMs;
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return { samples, everyMs, peakRssBytes: peak, meanRssBytes: samples > 0 ? sum / samples : 0, hwmBytes: hwm, series };
    },
  };
}
