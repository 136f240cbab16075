import { from } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLearner } from '../app/run-learner.js';
import { decodeSafetensors } from '../checkpoint/safetensors.js';
import { Rng } from '../math/rng.js';
import { LearnerMetrics } from '../metrics/learner-metrics.js';
import { Learner } from '../pipeline/learner.js';
import type { LearnerConfig } from '../pipeline/learner.js';
import { MODEL_FORMAT } from './model-export.js';
import { startServer } from './server.js';
import type { ServerHandle } from './server.js';

const config: LearnerConfig = {
  schema: { features: ['height', 'weight'], task: 'multiclass', classes: ['man', 'woman', 'child'] },
  model: { type: 'mlp', hidden: [100] },
  loss: { type: 'softmax_cross_entropy' },
  optimizer: { type: 'adam', lr: 0.01 },
  batchSize: 10,
  maxWaitMs: Infinity,
  shuffleBuffer: 8,
  standardize: true,
  seed: 5,
};

describe('GET /model', () => {
  let learner: Learner;
  let server: ServerHandle;
  beforeAll(async () => {
    learner = new Learner(config);
    const rng = new Rng(3);
    const records = Array.from({ length: 50 }, (_, index) => ({
      value: JSON.stringify({ features: [170 + rng.normal(0, 20), 60 + rng.normal(0, 20)], label: rng.int(3) }),
      origin: { kind: 'memory' as const, index },
    }));
    await runLearner(learner, from(records));
    server = await startServer({ learner, metrics: new LearnerMetrics(learner, { processMetrics: false }), port: 0 });
  });
  afterAll(() => server.close());

  it('serves the parameters as safetensors with torch.nn.Linear shapes and self-describing metadata', async () => {
    const res = await fetch(`${server.url}/model`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="model-step-5.safetensors"');
    const file = decodeSafetensors(new Uint8Array(await res.arrayBuffer()));
    const params = learner.setup.model.params;
    expect([...file.tensors.keys()]).toEqual(Object.keys(params));
    expect(Object.fromEntries([...file.tensors].map(([name, t]) => [name, t.shape]))).toEqual({
      'dense0.weight': [100, 2],
      'dense0.bias': [100],
      'dense1.weight': [3, 100],
      'dense1.bias': [3],
    });
    for (const [name, tensor] of file.tensors) {
      expect(tensor.data).toBeInstanceOf(Float32Array);
      expect(tensor.data).toEqual(params[name]);
    }
    const meta = file.metadata;
    expect(meta.format).toBe(MODEL_FORMAT);
    expect(meta.step).toBe('5');
    expect(meta.dtype).toBe('float32');
    expect(JSON.parse(meta.schema)).toEqual(config.schema);
    expect(JSON.parse(meta.loss)).toEqual(config.loss);
    expect(JSON.parse(meta.model)).toEqual({ type: 'mlp', inputs: 2, outputs: 3, outputKind: 'logits', spec: config.model });
    const s = learner.standardizer?.getState();
    const standardizer = JSON.parse(meta.standardizer);
    expect(standardizer.count).toBe(50);
    expect(standardizer.mean).toEqual(Array.from(s?.mean ?? []));
    expect(standardizer.std).toEqual(Array.from(s?.m2 ?? [], (m2) => Math.sqrt(m2 / 50)));
  });

  it('serves the same snapshot as JSON with ?format=json, and refuses other formats', async () => {
    const body = (await (await fetch(`${server.url}/model?format=json`)).json()) as Record<string, any>;
    expect(body.step).toBe(5);
    expect(body.format).toBe(MODEL_FORMAT);
    expect(body.tensors['dense1.weight'].shape).toEqual([3, 100]);
    expect(body.tensors['dense1.bias'].data).toEqual(Array.from(learner.setup.model.params['dense1.bias']));
    expect(body.schema).toEqual(config.schema);
    const bad = await fetch(`${server.url}/model?format=xml`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('bad_format');
  });
});
