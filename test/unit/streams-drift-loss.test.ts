/**
 * Acceptance 4b of recorded streams: on `drift` (the decision boundary turns by 90 degrees at record
 * index 5000), the running loss a scraper reads from GET /metrics rises well above its pre-drift level
 * right after the drift and falls back later.
 *
 * The learner trains on the shipped file with the stream's recommended config and serves /metrics
 * (LearnerMetrics + the HTTP server, as `online-learner train` does). Records are fed in controlled
 * amounts (the pipeline is synchronous, so every record fed has been trained on when next() returns,
 * apart from the one the shuffle buffer of capacity 1 holds and a partial minibatch), and
 * learner_loss_running (EMA, half-life 100 steps = 1000 records) is scraped after each amount: at the
 * drift point, every 250 records through the next 2500, and at the end.
 */
import { lastValueFrom, Subject, toArray } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { runLearner } from '../../src/app/run-learner.js';
import { LearnerMetrics } from '../../src/metrics/index.js';
import { Learner } from '../../src/pipeline/learner.js';
import type { LearnerConfig } from '../../src/pipeline/learner.js';
import { startServer } from '../../src/server/index.js';
import type { ServerHandle } from '../../src/server/index.js';
import { readJsonl } from '../../src/sources/file/index.js';
import type { SourceRecord } from '../../src/sources/types.js';
import { driftIndex, getStream, streamFilePath } from '../../src/streams/index.js';

const info = getStream('drift').info;
let server: ServerHandle | null = null;

afterAll(async () => {
  await server?.close();
});

async function scrapeRunningLoss(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('learner_loss_running '));
  if (line === undefined) throw new Error(`no learner_loss_running in /metrics:\n${text}`);
  return Number(line.slice('learner_loss_running '.length));
}

describe('drift stream', () => {
  it('shows the running loss spike at the drift and the recovery after it on GET /metrics', async () => {
    const records = await lastValueFrom(readJsonl(streamFilePath(info) as string).pipe(toArray()));
    const drift = driftIndex(records.length);
    expect(drift).toBe(5_000);
    const { recommended } = info;
    const config: LearnerConfig = {
      schema: { features: info.featureNames, task: 'binary' },
      model: recommended.model,
      loss: recommended.loss,
      optimizer: recommended.optimizer,
      batchSize: recommended.batchSize,
      maxWaitMs: Infinity,
      shuffleBuffer: 1,
      standardize: recommended.standardize,
      seed: 4,
    };
    const learner = new Learner(config);
    const metrics = new LearnerMetrics(learner);
    server = await startServer({ learner, metrics, port: 0, ready: true });

    const source = new Subject<SourceRecord>();
    const done = runLearner(learner, source, { onEvent: (event) => metrics.observe(event) });
    let fed = 0;
    const feedUntil = (index: number): void => {
      while (fed < index) source.next(records[fed++]);
    };

    const curve: Array<[number, number]> = [];
    const scrapeAt = async (index: number): Promise<number> => {
      feedUntil(index);
      const loss = await scrapeRunningLoss(server?.url as string);
      curve.push([index, loss]);
      return loss;
    };
    await scrapeAt(2_500);
    const beforeDrift = await scrapeAt(drift);
    for (let index = drift + 250; index <= drift + 2_500; index += 250) await scrapeAt(index);
    const atEnd = await scrapeAt(records.length);
    source.complete();
    await done;

    const afterDrift = curve.filter(([index]) => index > drift && index <= drift + 2_500).map(([, loss]) => loss);
    const peak = Math.max(...afterDrift);
    const peakIndex = curve.find(([, loss]) => loss === peak)?.[0];
    console.log(`[drift] learner_loss_running by records fed: ${curve.map(([i, l]) => `${i}: ${l.toFixed(3)}`).join(', ')}`);
    // Measured (seed 4): 0.256 at the drift, a peak of 0.501 750 records later, 0.261 at the end. The
    // batch loss jumps further, but the EMA's half-life of 1000 records smooths the spike to about 2x.
    // Spike: the old boundary is wrong for half of the new concept's inputs.
    expect(peak).toBeGreaterThan(1.6 * beforeDrift);
    expect(peakIndex).toBeLessThanOrEqual(drift + 1_500);
    // Recovery: the model relearns the rotated boundary; the loss ends close to its pre-drift level.
    expect(atEnd).toBeLessThan(0.6 * peak);
    expect(atEnd).toBeLessThan(1.2 * beforeDrift);
  });
});
