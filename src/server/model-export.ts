/**
 * The learner's current model as one self-describing snapshot, served by GET /model as safetensors
 * (tensors + `__metadata__` strings) or as JSON (`?format=json`).
 *
 * Tensors carry torch.nn.Linear shapes, so Python loads them straight into a torch Sequential after
 * renaming `denseK` to the layer index: `denseK.weight` is (out, in), `denseK.bias` is (out). Metadata
 * (JSON text in each value, as safetensors allows only strings) says how to use them: the model and loss
 * configuration, the record schema (feature order, class names), the step, and the standardizer's
 * mean and population std, which a caller must apply to raw features first: z = (x - mean) / std, with
 * std below 10 * machine epsilon replaced by 1.
 *
 * Built in one synchronous pass, so it is one consistent moment of training (see predict.ts).
 */
import type { SafetensorsTensor } from '../checkpoint/safetensors.js';
import type { Model } from '../model/types.js';
import type { Learner } from '../pipeline/learner.js';

export const MODEL_FORMAT = 'online-learner/model@1';

export interface ModelSnapshot {
  readonly format: string;
  /** Optimizer steps applied to these parameters. */
  readonly step: number;
  readonly dtype: Model['dtype'];
  readonly model: { readonly type: Model['type']; readonly inputs: number; readonly outputs: number; readonly outputKind: string; readonly spec: unknown };
  readonly loss: unknown;
  readonly schema: unknown;
  readonly standardizer: { readonly count: number; readonly mean: number[]; readonly std: number[] } | null;
  /** Copies, in the model's parameter order. */
  readonly tensors: Readonly<Record<string, SafetensorsTensor>>;
}

const DENSE = /^dense(\d+)\.(weight|bias)$/;

export function snapshotModel(learner: Learner): ModelSnapshot {
  const { model, trainer, outputKind } = learner.setup;
  const standardizer = learner.standardizer;
  let state = null;
  if (standardizer !== null) {
    const s = standardizer.getState();
    state = { count: s.count, mean: Array.from(s.mean), std: Array.from(standardizer.variance(), Math.sqrt) };
  }
  return {
    format: MODEL_FORMAT,
    step: trainer.steps,
    dtype: model.dtype,
    model: { type: model.type, inputs: model.inputs, outputs: model.outputs, outputKind, spec: learner.config.model },
    loss: learner.config.loss,
    schema: learner.config.schema,
    standardizer: state,
    tensors: shapedTensors(model),
  };
}

/** `__metadata__` of the safetensors form: every field but the tensors, as JSON text. */
export function snapshotMetadata(snapshot: ModelSnapshot): Record<string, string> {
  return {
    format: snapshot.format,
    step: String(snapshot.step),
    dtype: snapshot.dtype,
    model: JSON.stringify(snapshot.model),
    loss: JSON.stringify(snapshot.loss),
    schema: JSON.stringify(snapshot.schema),
    standardizer: JSON.stringify(snapshot.standardizer),
  };
}

/** The JSON form: tensors as { shape, data: number[] }. */
export function snapshotJson(snapshot: ModelSnapshot): unknown {
  const tensors: Record<string, { shape: readonly number[]; data: number[] }> = {};
  for (const [name, tensor] of Object.entries(snapshot.tensors)) tensors[name] = { shape: tensor.shape, data: Array.from(tensor.data) };
  return { ...snapshot, tensors };
}

/**
 * Shapes from the layer chain: dense0 reads the model's inputs, each later layer the previous one's
 * outputs, so out = weight length / in. A tensor outside that naming is flat.
 */
export function parameterShapes(model: Model): Record<string, number[]> {
  const outputsOfLayer = new Map<number, number>();
  const shapes: Record<string, number[]> = {};
  for (const [name, data] of Object.entries(model.params)) {
    const match = DENSE.exec(name);
    let shape = [data.length];
    if (match !== null) {
      const layer = Number(match[1]);
      if (match[2] === 'weight') {
        const inputs = layer === 0 ? model.inputs : outputsOfLayer.get(layer - 1);
        if (inputs !== undefined && inputs > 0 && data.length % inputs === 0) {
          shape = [data.length / inputs, inputs];
          outputsOfLayer.set(layer, data.length / inputs);
        }
      }
    }
    shapes[name] = shape;
  }
  return shapes;
}

function shapedTensors(model: Model): Record<string, SafetensorsTensor> {
  const params = model.getParameters();
  const shapes = parameterShapes(model);
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const [name, data] of Object.entries(params)) tensors[name] = { shape: shapes[name], data };
  return tensors;
}
