/**
 * Metrics and the HTTP server around one running Learner: created once the learner exists (before the
 * first record), fed with every learner event, ready while training, closed at the end.
 */
import type { AppConfig } from '../config/schema.js';
import { LearnerMetrics } from '../metrics/learner-metrics.js';
import type { Learner, LearnerEvent } from '../pipeline/learner.js';
import { startServer } from '../server/server.js';
import type { TrainJobControls } from './train-job.js';
import type { ServerHandle } from '../server/server.js';

export interface Observability {
  readonly metrics: LearnerMetrics;
  readonly server: ServerHandle | null;
  observe(event: LearnerEvent): void;
  close(): Promise<void>;
}

export async function startObservability(
  learner: Learner,
  config: AppConfig,
  log: NodeJS.WritableStream,
  controls: TrainJobControls = { requestCheckpoint: null },
): Promise<Observability> {
  const metrics = new LearnerMetrics(learner, { perElementSeriesCap: config.metrics.maxPerElementSeries });
  let server: ServerHandle | null = null;
  if (config.server.enabled) {
    // Outside the ONLINE_LEARNER_* namespace on purpose: the config loader refuses unknown names there, and a secret belongs in no config file.
    const adminToken = process.env.LEARNER_ADMIN_TOKEN || undefined;
    const onCheckpointRequest = controls.requestCheckpoint ?? undefined;
    server = await startServer({ learner, metrics, host: config.server.host, port: config.server.port, config, ready: true, adminToken, onCheckpointRequest });
    log.write(`  serving ${server.url}/metrics, the live page at ${server.url}/, /predict, /status, /healthz, /readyz\n`);
  }
  return {
    metrics,
    server,
    observe: (event) => metrics.observe(event),
    close: async () => {
      server?.setReady(false, 'stopped');
      await server?.close();
    },
  };
}
