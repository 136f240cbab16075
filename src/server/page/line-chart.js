// A multi-series line chart on a <canvas>: shared x values, nice ticks, a hover crosshair whose values
// show in the chart's HTML legend. Drawn at the device pixel ratio so lines stay sharp.
import { compact, niceTicks } from './format.js';

const PAD = { left: 56, right: 12, top: 10, bottom: 30 };
const GRID = '#21262d';
const AXIS_TEXT = '#8b949e';
const FONT = '11px ui-monospace, Menlo, Consolas, monospace';

export class LineChart {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {HTMLElement} legend
   * @param {{ xLabel: string, format: (v: number) => string, yMin?: number, yMax?: number }} options
   *   yMin / yMax fix an end of the y axis (0 and 1 for accuracy); otherwise it follows the data.
   */
  constructor(canvas, legend, options) {
    this.canvas = canvas;
    this.legend = legend;
    this.options = options;
    this.x = [];
    this.series = [];
    this.hover = null;
    canvas.addEventListener('mousemove', (e) => {
      const rect = canvas.getBoundingClientRect();
      this.hover = e.clientX - rect.left;
      this.draw();
    });
    canvas.addEventListener('mouseleave', () => {
      this.hover = null;
      this.draw();
    });
  }

  /** x: increasing numbers; series: [{ name, color, values: (number|null)[], width?, dashed? }]. */
  update(x, series) {
    this.x = x;
    this.series = series;
    this.draw();
  }

  draw() {
    const { canvas, x, series, options } = this;
    const dpr = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(height * dpr);
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const plotW = width - PAD.left - PAD.right;
    const plotH = height - PAD.top - PAD.bottom;
    if (x.length < 2 || plotW <= 0 || plotH <= 0) {
      this.renderLegend(null);
      ctx.fillStyle = AXIS_TEXT;
      ctx.font = FONT;
      ctx.textAlign = 'center';
      ctx.fillText(x.length === 0 ? 'waiting for the first steps…' : 'one point so far…', width / 2, height / 2);
      return;
    }

    const [y0, y1] = this.yRange();
    const x0 = x[0];
    const x1 = x[x.length - 1];
    const px = (v) => PAD.left + ((v - x0) / (x1 - x0 || 1)) * plotW;
    const py = (v) => PAD.top + (1 - (v - y0) / (y1 - y0)) * plotH;

    ctx.font = FONT;
    ctx.lineWidth = 1;
    ctx.strokeStyle = GRID;
    ctx.fillStyle = AXIS_TEXT;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of niceTicks(y0, y1, 5)) {
      const y = Math.round(py(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(PAD.left, y);
      ctx.lineTo(PAD.left + plotW, y);
      ctx.stroke();
      ctx.fillText(options.format(t), PAD.left - 6, y);
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const t of niceTicks(x0, x1, Math.max(2, Math.floor(plotW / 90)))) {
      const xx = Math.round(px(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(xx, PAD.top + plotH);
      ctx.lineTo(xx, PAD.top + plotH + 4);
      ctx.stroke();
      ctx.fillText(compact(t), xx, PAD.top + plotH + 7);
    }
    ctx.textAlign = 'right';
    ctx.fillText(options.xLabel, PAD.left + plotW, PAD.top + plotH + 18);

    ctx.save();
    ctx.beginPath();
    ctx.rect(PAD.left, PAD.top, plotW, plotH);
    ctx.clip();
    for (const s of series) {
      ctx.strokeStyle = s.color;
      ctx.lineWidth = s.width ?? 2;
      ctx.setLineDash(s.dashed ? [4, 3] : []);
      ctx.beginPath();
      let drawing = false;
      for (let i = 0; i < x.length; i++) {
        const v = s.values[i];
        // A missing value (before the first step, or a non-finite figure) breaks the line.
        if (v === null) {
          drawing = false;
          continue;
        }
        if (drawing) ctx.lineTo(px(x[i]), py(v));
        else ctx.moveTo(px(x[i]), py(v));
        drawing = true;
      }
      ctx.stroke();
    }
    ctx.restore();
    ctx.setLineDash([]);

    let index = null;
    if (this.hover !== null && this.hover >= PAD.left && this.hover <= PAD.left + plotW) {
      const target = x0 + ((this.hover - PAD.left) / plotW) * (x1 - x0);
      index = nearest(x, target);
      const xx = Math.round(px(x[index])) + 0.5;
      ctx.strokeStyle = '#6e7681';
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(xx, PAD.top);
      ctx.lineTo(xx, PAD.top + plotH);
      ctx.stroke();
      for (const s of series) {
        const v = s.values[index];
        if (v === null) continue;
        ctx.fillStyle = s.color;
        ctx.beginPath();
        ctx.arc(px(x[index]), py(v), 3.5, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
    this.renderLegend(index);
  }

  yRange() {
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of this.series) {
      for (const v of s.values) {
        if (v === null) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    if (!(hi >= lo)) return [0, 1];
    lo = this.options.yMin ?? lo;
    hi = this.options.yMax ?? hi;
    if (hi === lo) return [lo - 0.5, hi + 0.5];
    const margin = (hi - lo) * 0.06;
    return [this.options.yMin ?? lo - margin, this.options.yMax ?? hi + margin];
  }

  /**
   * Legend entries with the hovered point's values, or the latest ones. Built with the DOM API, not
   * HTML strings: the page's Content Security Policy refuses inline style attributes.
   */
  renderLegend(index) {
    const at = index ?? this.x.length - 1;
    const entries = this.series.map((s) => {
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = s.color;
      const value = document.createElement('span');
      value.className = 'figure';
      const v = at >= 0 ? s.values[at] : null;
      value.textContent = v === null || v === undefined ? '–' : this.options.format(v);
      const entry = document.createElement('span');
      entry.append(swatch, s.name, value);
      return entry;
    });
    if (index !== null) {
      const where = document.createElement('span');
      where.textContent = `at ${compact(this.x[index])} samples`;
      entries.push(where);
    }
    this.legend.replaceChildren(...entries);
  }
}

function nearest(xs, target) {
  let lo = 0;
  let hi = xs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < target) lo = mid;
    else hi = mid;
  }
  return target - xs[lo] <= xs[hi] - target ? lo : hi;
}
