/**
 * The effective learning rate of every parameter element (DESIGN.md §6: the factor that multiplies the
 * optimizer's update direction, e.g. Adam's lr_t / ((1 - b1^t)(sqrt(v_i / (1 - b2^t)) + eps))), summarized
 * per parameter tensor, and per element while the model is small.
 *
 *   learner_effective_learning_rate{tensor, stat="min|mean|max|p50|p90"}
 *   learner_effective_learning_rate_element{tensor, index}     only while parameters <= perElementSeriesCap
 *
 * Computed on scrape only (optimizer.effectiveLearningRates() derives them from the slots; the training
 * step never pays for it). Before the first step the optimizer has no slots and no series are exported.
 * `index` is the flat row-major index into the tensor: for `denseK.weight`, laid out (out, in) like
 * torch.nn.Linear, index = out * inputs + in.
 */
import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { Model } from '../model/types.js';
import type { Optimizer } from '../optim/types.js';
import { quantileLabel } from './options.js';
import { TensorSummarizer } from './tensor-stats.js';
import type { TensorStats } from './tensor-stats.js';

const STAT_LABELS = ['tensor', 'stat'] as const;
const ELEMENT_LABELS = ['tensor', 'index'] as const;

type ElementLabels = { readonly tensor: string; readonly index: string };

export interface EffectiveLrMetricsOptions {
  readonly registry: Registry;
  readonly model: Model;
  readonly optimizer: Optimizer;
  readonly quantiles: readonly number[];
  readonly perElementSeriesCap: number;
}

export function registerEffectiveLrMetrics({ registry, model, optimizer, quantiles, perElementSeriesCap }: EffectiveLrMetricsOptions): void {
  const summarizer = new TensorSummarizer(quantiles);
  const quantileStats = quantiles.map(quantileLabel);
  const statsByTensor = new Map<string, TensorStats>();
  const statNames = ['min', 'mean', 'max', ...quantileStats].join('|');
  new Gauge({
    name: 'learner_effective_learning_rate',
    help: `Effective learning rate of the last step, per parameter tensor: stat=${statNames} over the tensor's elements (DESIGN.md §6)`,
    labelNames: STAT_LABELS,
    registers: [registry],
    collect() {
      // Tensors appear with the optimizer's first step; reset keeps no series of a tensor it stopped reporting.
      this.reset();
      const rates = optimizer.effectiveLearningRates();
      for (const tensor in rates) {
        let stats = statsByTensor.get(tensor);
        if (stats === undefined) {
          stats = summarizer.createStats();
          statsByTensor.set(tensor, stats);
        }
        summarizer.summarize(rates[tensor], stats);
        this.set({ tensor, stat: 'min' }, stats.min);
        this.set({ tensor, stat: 'mean' }, stats.mean);
        this.set({ tensor, stat: 'max' }, stats.max);
        for (let k = 0; k < quantileStats.length; k++) this.set({ tensor, stat: quantileStats[k] }, stats.quantiles[k]);
      }
    },
  });

  const parameters = model.parameterCount();
  const perElement = parameters <= perElementSeriesCap;
  // Label objects are built once per tensor: prom-client keeps them by reference, and scrapes then allocate none.
  const labelsByTensor = new Map<string, ElementLabels[]>();
  new Gauge({
    name: 'learner_effective_learning_rate_element',
    help:
      `Effective learning rate of the last step per parameter element (index: flat row-major), exported only while the model ` +
      `has <= ${perElementSeriesCap} parameters (metrics.perElementSeriesCap); this model has ${parameters}, so ${perElement ? 'on' : 'off'}`,
    labelNames: ELEMENT_LABELS,
    registers: [registry],
    ...(perElement
      ? {
          collect(this: Gauge<(typeof ELEMENT_LABELS)[number]>) {
            this.reset();
            const rates = optimizer.effectiveLearningRates();
            for (const tensor in rates) {
              const values = rates[tensor];
              let labels = labelsByTensor.get(tensor);
              if (labels === undefined || labels.length !== values.length) {
                labels = Array.from({ length: values.length }, (_, i) => ({ tensor, index: String(i) }));
                labelsByTensor.set(tensor, labels);
              }
              for (let i = 0; i < values.length; i++) this.set(labels[i], values[i]);
            }
          },
        }
      : {}),
  });
}
