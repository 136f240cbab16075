// The effective learning rates of /live's `learningRates`, drawn on <canvas>:
// - mode "elements": one heatmap per tensor, one cell per element, colour = log10(rate) on a scale
//   shared by all tensors (so tensors compare at a glance); a matrix is drawn with its longer side
//   horizontal; hovering a cell names the element and its rate;
// - mode "stats" (a model too large to send per element): per tensor, a range on a log axis from min
//   to max, a box from p50 to p90 and a tick at the mean.
import { figure } from './format.js';

// Viridis (matplotlib), 9 anchors; colours between them are interpolated in RGB.
const VIRIDIS = [
  [68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141],
  [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37],
];
const MAX_CELL = 24;
const MIN_CELL_HEIGHT = 10;

/** [r, g, b] at t in [0, 1]. */
function viridis(t) {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i];
  const b = VIRIDIS[i + 1];
  return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
}

/**
 * The colour scale's ends in log10 units: the 1st and 99th percentiles of every element, so a few
 * extreme elements (a dead ReLU unit's gradient-free weights get lr / eps) do not wash out the rest;
 * cells beyond the ends take the end colours, and the legend says ≤ / ≥.
 */
function logDomain(tensors) {
  const logs = [];
  for (const t of tensors) for (const v of t.values) if (v !== null && v > 0) logs.push(Math.log10(v));
  if (logs.length === 0) return [-4, -2];
  logs.sort((a, b) => a - b);
  const lo = logs[Math.floor(0.01 * (logs.length - 1))];
  const hi = logs[Math.ceil(0.99 * (logs.length - 1))];
  // All rates equal (SGD): a one-decade band around them.
  return hi - lo < 1e-9 ? [lo - 0.5, hi + 0.5] : [lo, hi];
}

function drawScale(container, lo, hi, mode) {
  container.replaceChildren();
  if (mode !== 'elements') return;
  const bar = document.createElement('canvas');
  bar.width = 220;
  bar.height = 12;
  const ctx = bar.getContext('2d');
  for (let x = 0; x < bar.width; x++) {
    const [r, g, b] = viridis(x / (bar.width - 1));
    ctx.fillStyle = `rgb(${r | 0},${g | 0},${b | 0})`;
    ctx.fillRect(x, 0, 1, bar.height);
  }
  const left = document.createElement('span');
  left.textContent = `≤${figure(10 ** lo)}`;
  const right = document.createElement('span');
  right.textContent = `≥${figure(10 ** hi)}`;
  container.append(left, bar, right);
}

/** Rows and columns as drawn: the longer side horizontal. */
function layout(shape) {
  const [rows, cols] = shape.length === 2 ? shape : [1, shape[0]];
  const transposed = rows > cols;
  return { rows: transposed ? cols : rows, cols: transposed ? rows : cols, transposed, matrix: shape.length === 2 };
}

/** The tensor's element under drawn cell (r, c), named the torch way. */
function elementAt(tensor, view, r, c) {
  if (!view.matrix) return { index: c, label: `${tensor.name}[${c}]` };
  const [out, inp] = view.transposed ? [c, r] : [r, c];
  return { index: out * tensor.shape[1] + inp, label: `${tensor.name}[out ${out}, in ${inp}]` };
}

function statsLine(t) {
  return `min ${figure(t.min)} · p50 ${figure(t.p50)} · p90 ${figure(t.p90)} · max ${figure(t.max)}`;
}

export class LearningRateView {
  /** @param {HTMLElement} container @param {HTMLElement} scale @param {HTMLElement} tooltip */
  constructor(container, scale, tooltip) {
    this.container = container;
    this.scale = scale;
    this.tooltip = tooltip;
    this.panels = new Map();
  }

  update(rates) {
    if (rates.tensors.length === 0) {
      this.container.replaceChildren(Object.assign(document.createElement('div'), { className: 'empty', textContent: 'No optimizer step yet.' }));
      this.panels.clear();
      drawScale(this.scale, 0, 0, 'none');
      return;
    }
    if (rates.mode === 'stats') {
      drawScale(this.scale, 0, 0, 'stats');
      this.drawRanges(rates.tensors);
      return;
    }
    const [lo, hi] = logDomain(rates.tensors);
    drawScale(this.scale, lo, hi, 'elements');
    const width = this.container.clientWidth;
    const seen = new Set();
    for (const tensor of rates.tensors) {
      seen.add(tensor.name);
      const panel = this.panel(tensor.name);
      panel.tensor = tensor;
      panel.view = layout(tensor.shape);
      const shape = tensor.shape.join('×');
      panel.name.textContent = `${tensor.name}  ${shape}${panel.view.transposed ? ' (drawn transposed)' : ''}`;
      panel.stats.textContent = statsLine(tensor);
      this.drawCells(panel, width, lo, hi);
    }
    for (const [name, panel] of this.panels) {
      if (!seen.has(name)) {
        panel.root.remove();
        this.panels.delete(name);
      }
    }
  }

  panel(name) {
    let panel = this.panels.get(name);
    if (panel !== undefined) return panel;
    if (this.panels.size === 0) this.container.replaceChildren();
    const root = document.createElement('div');
    root.className = 'tensor';
    const title = document.createElement('div');
    title.className = 'title';
    const label = document.createElement('span');
    label.className = 'name';
    const stats = document.createElement('span');
    stats.className = 'stats';
    title.append(label, stats);
    const canvas = document.createElement('canvas');
    root.append(title, canvas);
    this.container.append(root);
    panel = { root, name: label, stats, canvas, tensor: null, view: null, cell: [1, 1] };
    canvas.addEventListener('mousemove', (e) => this.hover(panel, e));
    canvas.addEventListener('mouseleave', () => (this.tooltip.hidden = true));
    this.panels.set(name, panel);
    return panel;
  }

  drawCells(panel, width, lo, hi) {
    const { rows, cols } = panel.view;
    const cellW = Math.max(1, Math.min(MAX_CELL, Math.floor(width / cols)));
    const cellH = Math.max(MIN_CELL_HEIGHT, Math.min(MAX_CELL, cellW));
    panel.cell = [cellW, cellH];
    const canvas = panel.canvas;
    canvas.width = cols * cellW;
    canvas.height = rows * cellH;
    const ctx = canvas.getContext('2d');
    const image = ctx.createImageData(canvas.width, canvas.height);
    const px = image.data;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = panel.tensor.values[elementAt(panel.tensor, panel.view, r, c).index];
        const [red, green, blue] = v === null || !(v > 0) ? [60, 60, 60] : viridis((Math.log10(v) - lo) / (hi - lo));
        for (let y = r * cellH; y < (r + 1) * cellH; y++) {
          // A one-pixel gap between cells once they are large enough to show it.
          if (cellH >= 6 && y === (r + 1) * cellH - 1) continue;
          for (let x = c * cellW; x < (c + 1) * cellW; x++) {
            if (cellW >= 6 && x === (c + 1) * cellW - 1) continue;
            const o = (y * canvas.width + x) * 4;
            px[o] = red;
            px[o + 1] = green;
            px[o + 2] = blue;
            px[o + 3] = 255;
          }
        }
      }
    }
    ctx.putImageData(image, 0, 0);
  }

  hover(panel, event) {
    if (panel.tensor === null) return;
    const rect = panel.canvas.getBoundingClientRect();
    const scale = panel.canvas.width / rect.width;
    const c = Math.floor(((event.clientX - rect.left) * scale) / panel.cell[0]);
    const r = Math.floor(((event.clientY - rect.top) * scale) / panel.cell[1]);
    if (r < 0 || c < 0 || r >= panel.view.rows || c >= panel.view.cols) return;
    const { index, label } = elementAt(panel.tensor, panel.view, r, c);
    this.tooltip.textContent = `${label} = ${figure(panel.tensor.values[index])}`;
    this.tooltip.style.left = `${event.clientX + 12}px`;
    this.tooltip.style.top = `${event.clientY + 12}px`;
    this.tooltip.hidden = false;
  }

  /** Large models: one row per tensor on a shared log axis. */
  drawRanges(tensors) {
    this.panels.clear();
    let canvas = this.container.querySelector('canvas.ranges');
    if (canvas === null) {
      canvas = document.createElement('canvas');
      canvas.className = 'ranges';
      this.container.replaceChildren(canvas);
    }
    const rowH = 30;
    const labelW = 170;
    const dpr = window.devicePixelRatio || 1;
    const width = this.container.clientWidth;
    const height = tensors.length * rowH + 26;
    canvas.style.height = `${height}px`;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const positive = tensors.flatMap((t) => [t.min, t.max]).filter((v) => v !== null && v > 0);
    const lo = Math.floor(Math.log10(Math.min(...positive)));
    const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...positive))));
    const px = (v) => labelW + ((Math.log10(v) - lo) / (hi - lo)) * (width - labelW - 12);
    ctx.font = '11px ui-monospace, Menlo, Consolas, monospace';
    ctx.textBaseline = 'middle';
    for (let d = lo; d <= hi; d++) {
      ctx.strokeStyle = '#21262d';
      ctx.beginPath();
      ctx.moveTo(px(10 ** d), 0);
      ctx.lineTo(px(10 ** d), height - 20);
      ctx.stroke();
      ctx.fillStyle = '#8b949e';
      ctx.textAlign = 'center';
      ctx.fillText(`1e${d}`, px(10 ** d), height - 10);
    }
    tensors.forEach((t, i) => {
      const y = i * rowH + rowH / 2;
      ctx.fillStyle = '#e6edf3';
      ctx.textAlign = 'left';
      ctx.fillText(t.name, 0, y);
      if (!(t.min > 0 && t.max > 0)) return;
      ctx.strokeStyle = '#8b949e';
      ctx.beginPath();
      ctx.moveTo(px(t.min), y);
      ctx.lineTo(px(t.max), y);
      ctx.stroke();
      ctx.fillStyle = '#58a6ff';
      ctx.fillRect(px(t.p50), y - 7, Math.max(2, px(t.p90) - px(t.p50)), 14);
      ctx.fillStyle = '#f0883e';
      ctx.fillRect(px(t.mean) - 1, y - 9, 2, 18);
    });
  }
}
