/**
 * The live page in a real browser while a learner trains: headless Chromium (Debian package chromium;
 * CHROMIUM_BIN overrides /usr/bin/chromium) driven by playwright-core opens GET /, and the test checks
 * that the charts and the heatmaps are drawn with live data: the canvases are not blank, the number
 * of learning-curve points the page shows grows between two reads, the page loads nothing from another
 * origin and logs no error. A screenshot is saved as test-artifacts/page-live.png.
 *
 * Skipped, saying why, when Chromium or playwright-core is missing.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLearner } from '../../src/app/run-learner.js';
import { Rng } from '../../src/math/rng.js';
import { LearnerMetrics } from '../../src/metrics/index.js';
import { Learner } from '../../src/pipeline/learner.js';
import type { LearnerConfig } from '../../src/pipeline/learner.js';
import { startServer } from '../../src/server/index.js';
import type { ServerHandle } from '../../src/server/index.js';
import { readJsonl } from '../../src/sources/file/index.js';

const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
/** The flags of a quiet, throwaway browser: no sandbox (root in CI), no GPU, no calls home. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACT = new URL('../../test-artifacts/page-live.png', import.meta.url);
const RECORDS = 3_000;
/** 300 steps x 50 ms: about fifteen seconds of training, sampled by the page's history every 200 ms. */
const STEP_DELAY_MS = 50;

const config: LearnerConfig = {
  schema: { features: ['height_cm', 'weight_kg'], task: 'multiclass', classes: ['man', 'woman', 'child'] },
  model: { type: 'mlp', hidden: [100] },
  loss: { type: 'softmax_cross_entropy' },
  optimizer: { type: 'adam', lr: 0.01 },
  batchSize: 10,
  maxWaitMs: Infinity,
  shuffleBuffer: 50,
  standardize: true,
  seed: 3,
};

const playwright = await import('playwright-core').catch((err: unknown) => (err instanceof Error ? err.message : String(err)));
const skipReason = !existsSync(CHROMIUM)
  ? `no Chromium at ${CHROMIUM} (Debian: apt-get install chromium, or set CHROMIUM_BIN)`
  : typeof playwright === 'string'
    ? `playwright-core is not installed (${playwright})`
    : null;
if (skipReason !== null) console.warn(`[page] live page browser test skipped: ${skipReason}`);

/**
 * The page's globals as the functions below see them once Playwright has serialized them into the page:
 * this project's TypeScript has no DOM library. Functions rather than strings: the page's CSP forbids
 * eval, which string predicates need.
 */
type PageGlobals = { document: { body: { dataset: Record<string, string | undefined> } } };

/** Pixels of a canvas that are not fully transparent, counted in the page (an expression: no eval needed). */
const INK = `(selector) => Array.from(document.querySelectorAll(selector), (canvas) => {
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  let ink = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) ink++;
  return ink;
})`;

describe.skipIf(skipReason !== null)('the live page in headless Chromium during a run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'page-live-'));
  let server: ServerHandle;
  let run: Promise<void>;

  beforeAll(async () => {
    const rng = new Rng(5);
    const lines = Array.from({ length: RECORDS }, () => {
      const c = rng.int(3);
      return JSON.stringify({ features: { height_cm: [181, 161, 120][c] + rng.normal(0, 6), weight_kg: [86, 58, 24][c] + rng.normal(0, 6) }, label: config.schema.classes?.[c] });
    });
    const file = join(dir, 'statsville.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const learner = new Learner(config);
    const metrics = new LearnerMetrics(learner, { processMetrics: false });
    server = await startServer({ learner, metrics, port: 0, ready: true, live: { sampleEveryMs: 200 } });
    run = runLearner(learner, readJsonl(file), {
      beforeStep: () => new Promise((r) => setTimeout(r, STEP_DELAY_MS)),
      onEvent: (event) => metrics.observe(event),
    });
  });

  afterAll(async () => {
    await run;
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws the learning curves and the effective learning rate heatmaps, and keeps adding points', async () => {
    const { chromium } = playwright as typeof import('playwright-core');
    const profile = join(dir, 'profile');
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1400, height: 1000 } });
    const problems: string[] = [];
    const foreign: string[] = [];
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('request', (request) => {
        if (!request.url().startsWith(`${server.url}/`)) foreign.push(request.url());
      });
      await page.goto(`${server.url}/`);
      // The page publishes its learning-curve point count as <body data-points>.
      const points = async (): Promise<number> => page.evaluate(() => Number((globalThis as unknown as PageGlobals).document.body.dataset.points));
      await page.waitForFunction((n) => Number((globalThis as unknown as PageGlobals).document.body.dataset.points) >= n, 3, { timeout: 30_000 });
      const first = await points();
      await page.waitForFunction((n) => Number((globalThis as unknown as PageGlobals).document.body.dataset.points) > n, first, { timeout: 30_000 });
      const second = await points();
      expect(second).toBeGreaterThan(first);

      const charts = (await page.evaluate(`(${INK})('canvas.chart')`)) as number[];
      expect(charts).toHaveLength(2);
      for (const ink of charts) expect(ink).toBeGreaterThan(1_000);
      const heatmaps = (await page.evaluate(`(${INK})('#heatmaps canvas')`)) as number[];
      // dense0.weight, dense0.bias, dense1.weight, dense1.bias: every cell painted.
      expect(heatmaps).toHaveLength(4);
      for (const ink of heatmaps) expect(ink).toBeGreaterThan(0);
      expect(await page.locator('#heatmaps .name').allTextContents()).toEqual([
        'dense0.weight  100×2 (drawn transposed)',
        'dense0.bias  100',
        'dense1.weight  3×100',
        'dense1.bias  3',
      ]);
      expect(Number((await page.locator('#t-samples').textContent())?.replace(/,/g, ''))).toBeGreaterThan(0);
      expect(await page.locator('#status').getAttribute('data-state')).toBe('training');

      await page.locator('#loss-chart').hover({ position: { x: 400, y: 120 } });
      mkdirSync(new URL('.', ARTIFACT), { recursive: true });
      await page.screenshot({ path: ARTIFACT.pathname, fullPage: true });
      console.log(`[page] ${first} -> ${second} points between two reads; screenshot ${ARTIFACT.pathname}`);
    } finally {
      await context.close();
    }
    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
  });
});
