// The live page: polls GET /live, draws the learning curves and the effective learning rates, and
// keeps the headline tiles current. One request in flight at a time; the next is scheduled when the
// previous one settled, so a slow learner never gets a pile of polls.
import { figure, integer, percent } from './format.js';
import { LearningRateView } from './heatmap.js';
import { LineChart } from './line-chart.js';

const $ = (id) => document.getElementById(id);
const BLUE = '#58a6ff';
const ORANGE = '#f0883e';

const lossChart = new LineChart($('loss-chart'), $('loss-legend'), { xLabel: 'samples trained', format: figure });
let qualityChart = null;
const rates = new LearningRateView($('heatmaps'), $('lr-scale'), $('tooltip'));

let polls = 0;
let previous = null;
let throughput = null;
let lastStepChangeMs = 0;
let lastStep = -1;

function qualityChartFor(quality) {
  if (qualityChart !== null && qualityChart.quality === quality) return qualityChart;
  const accuracy = quality === 'accuracy';
  $('quality-title').textContent = accuracy ? 'Prequential accuracy' : 'Prequential RMSE';
  $('t-quality-label').textContent = accuracy ? 'Accuracy (window)' : 'RMSE (window)';
  const chart = new LineChart($('quality-chart'), $('quality-legend'), {
    xLabel: 'samples trained',
    format: accuracy ? percent : figure,
    ...(accuracy ? { yMax: 1 } : { yMin: 0 }),
  });
  chart.quality = quality;
  qualityChart = chart;
  return chart;
}

function setStatus(state, text) {
  $('status').dataset.state = state;
  $('status-text').textContent = text;
}

/** Samples per second between two polls, smoothed so one slow poll does not make the tile jump. */
function updateThroughput(live) {
  if (previous !== null && live.timeMs > previous.timeMs) {
    const rate = ((live.samples - previous.samples) * 1000) / (live.timeMs - previous.timeMs);
    throughput = throughput === null ? rate : 0.6 * throughput + 0.4 * rate;
  }
  previous = { timeMs: live.timeMs, samples: live.samples };
}

function render(live) {
  const h = live.history;
  polls++;
  document.body.dataset.points = String(h.samples.length);
  document.body.dataset.polls = String(polls);
  document.body.dataset.step = String(live.step);

  if (live.step !== lastStep) {
    lastStep = live.step;
    lastStepChangeMs = Date.now();
  }
  const idle = Date.now() - lastStepChangeMs > 3 * h.sampleEveryMs;
  if (!live.ready && idle) setStatus('idle', 'not consuming');
  else setStatus(idle ? 'idle' : 'training', idle ? 'idle' : 'training');

  updateThroughput(live);
  const lr = live.learningRates;
  $('model').textContent = `${live.model.type} · ${integer(live.model.parameters)} parameters · ${lr.optimizer} · ${live.task}`;
  $('t-step').textContent = integer(live.step);
  $('t-samples').textContent = integer(live.samples);
  $('t-rate').textContent = throughput === null ? '–' : `${integer(idle ? 0 : throughput)}/s`;
  $('t-rejected').textContent = integer(live.rejected);
  $('t-lr').textContent = figure(live.learningRate);
  const last = h.samples.length - 1;
  $('t-loss').textContent = last < 0 ? '–' : figure(h.lossRunning[last]);
  const accuracy = h.quality === 'accuracy';
  $('t-quality').textContent = last < 0 ? '–' : (accuracy ? percent : figure)(h.qualityWindow[last]);

  lossChart.update(h.samples, [
    { name: 'last batch', color: 'rgba(240,136,62,0.55)', values: h.lossLastBatch, width: 1 },
    { name: 'running (EMA)', color: ORANGE, values: h.lossRunning, width: 2.5 },
  ]);
  qualityChartFor(h.quality).update(h.samples, [
    { name: 'window', color: BLUE, values: h.qualityWindow, width: 2.5 },
    { name: 'cumulative', color: '#a371f7', values: h.qualityCumulative, width: 1.5, dashed: true },
  ]);

  $('lr-note').textContent =
    lr.mode === 'elements'
      ? `The factor that multiplies each element's update direction at step ${integer(lr.step)}, log colour scale. Hover a cell for its value.`
      : `${integer(live.model.parameters)} parameters is over the per-element limit (${integer(lr.maxElements)}): per tensor, min–max line, p50–p90 box, mean tick.`;
  rates.update(lr);
  $('footer-text').textContent = `Polling /live every ${h.sampleEveryMs / 1000} s · ${h.samples.length} of ${h.capacity} points kept · updated ${new Date(live.timeMs).toLocaleTimeString()}`;
}

async function poll() {
  let wait = 1000;
  try {
    const res = await fetch('/live', { cache: 'no-store' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const live = await res.json();
    render(live);
    wait = live.history.sampleEveryMs;
  } catch (err) {
    setStatus('offline', `offline (${err instanceof Error ? err.message : String(err)}), retrying`);
    wait = 2000;
  }
  setTimeout(poll, wait);
}

window.addEventListener('resize', () => {
  lossChart.draw();
  qualityChart?.draw();
});
poll();
