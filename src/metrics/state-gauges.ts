/**
 * Gauges read from the learner's state when Prometheus scrapes (prom-client `collect()`), so they are
 * exactly what the learner holds at that moment: running loss, prequential quality, learning rate, model
 * size, shuffle buffer fill. Steps run synchronously, so a scrape never sees half of one.
 *
 * A figure that does not exist yet (a loss before the first step) is NaN rather than a made-up 0. Quality
 * gauges exist only for the task's figures: accuracy for classification, RMSE for regression, log-loss
 * when the model's outputs are or map to probabilities.
 */
import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { Learner } from '../pipeline/learner.js';
import type { QualitySnapshot } from '../training/quality.js';

const nanIfNull = (value: number | null): number => value ?? Number.NaN;

export function registerStateGauges(registry: Registry, learner: Learner): void {
  const { trainer, model, optimizer } = learner.setup;
  const registers = [registry];
  const point = (name: string, help: string, read: () => number): void => {
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(read());
      },
    });
  };

  point(
    'learner_loss_running',
    `Training loss, exponential moving average over applied steps with a half-life of ${trainer.runningLoss.halfLife} steps ` +
      '(bias-corrected); NaN before the first step',
    () => trainer.runningLoss.value,
  );
  point(
    'learner_loss_last_batch',
    'Training loss of the last applied minibatch (the loss reduction, before its update); NaN before the first step',
    () => trainer.lastBatchLoss,
  );

  const quality = trainer.quality;
  const window = `the last ${quality.window} samples`;
  const figure = (key: keyof Omit<QualitySnapshot, 'task' | 'samples'>) => () => nanIfNull(trainer.qualitySnapshot()[key]);
  if (quality.task === 'regression') {
    point('learner_rmse_window', `Prequential root mean squared error over ${window} (scored before the model learns from them)`, figure('windowRmse'));
    point('learner_rmse_cumulative', 'Prequential root mean squared error over every sample trained on', figure('rmse'));
  } else {
    point('learner_accuracy_window', `Prequential accuracy (ratio 0..1) over ${window} (scored before the model learns from them)`, figure('windowAccuracy'));
    point('learner_accuracy_cumulative', 'Prequential accuracy (ratio 0..1) over every sample trained on', figure('accuracy'));
  }
  if (quality.hasLogLoss) {
    point('learner_log_loss_window', `Prequential log-loss (nats per sample) over ${window}`, figure('windowLogLoss'));
    point('learner_log_loss_cumulative', 'Prequential log-loss (nats per sample) over every sample trained on', figure('logLoss'));
  }

  point('learner_learning_rate', 'Learning rate the next optimizer step will use (after the schedule)', () => optimizer.currentLr());
  point('learner_model_parameters', 'Number of scalar model parameters', () => model.parameterCount());
  point('learner_shuffle_buffer_fill', 'Samples resident in the shuffle buffer: consumed, not yet trained on', () => learner.shuffleState.residents.length);
  point('learner_shuffle_buffer_capacity', 'Capacity of the shuffle buffer, in samples', () => learner.config.shuffleBuffer);
}
