// Exact resume: getState -> a JSON wire copy -> setState into a FRESH optimizer continues bit-identically.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError } from '../errors.js';
import { dtypeOf, type DType, type ParamMap, type Tensor } from '../math/tensor.js';
import { createOptimizer } from './registry.js';
import type { OptimizerConfig, OptimizerState } from './types.js';

interface Trajectory {
  name: string;
  dtype: DType;
  config: OptimizerConfig;
  initial: Record<string, number[]>;
  grads: Record<string, number[]>[];
}

const { trajectories } = JSON.parse(
  readFileSync(new URL('../../test/fixtures/optim.json', import.meta.url), 'utf8'),
) as { trajectories: Trajectory[] };

function toMap(values: Record<string, number[]>, dtype: DType): ParamMap {
  const out: ParamMap = {};
  for (const name of Object.keys(values)) {
    out[name] = dtype === 'float64' ? Float64Array.from(values[name]) : Float32Array.from(values[name]);
  }
  return out;
}

/** What a checkpoint does: tensors to (dtype, number[]) through JSON text and back. */
function throughJson(state: OptimizerState): OptimizerState {
  const wire = JSON.stringify({
    type: state.type,
    step: state.step,
    slots: Object.entries(state.slots).map(([key, t]) => ({ key, dtype: dtypeOf(t), values: Array.from(t) })),
  });
  const parsed = JSON.parse(wire) as {
    type: OptimizerState['type'];
    step: number;
    slots: { key: string; dtype: DType; values: number[] }[];
  };
  const slots: Record<string, Tensor> = {};
  for (const s of parsed.slots) slots[s.key] = toMap({ [s.key]: s.values }, s.dtype)[s.key];
  return { type: parsed.type, step: parsed.step, slots };
}

function bytes(map: ParamMap): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const name of Object.keys(map)) out[name] = Array.from(new Uint8Array(map[name].buffer));
  return out;
}

const RESUME_AT = 23;

describe('getState / setState continue bit-identically', () => {
  for (const tr of trajectories) {
    it(`${tr.name} (${tr.dtype}) resumed after step ${RESUME_AT} of ${tr.grads.length}`, () => {
      const straight = createOptimizer(tr.config);
      const straightParams = toMap(tr.initial, tr.dtype);
      for (const g of tr.grads) straight.step(straightParams, toMap(g, tr.dtype));

      const first = createOptimizer(tr.config);
      const params = toMap(tr.initial, tr.dtype);
      for (let k = 0; k < RESUME_AT; k++) first.step(params, toMap(tr.grads[k], tr.dtype));
      const saved = first.getState();
      const resumed = createOptimizer(tr.config);
      resumed.setState(throughJson(saved));
      expect(resumed.currentLr()).toBe(first.currentLr());
      // Plain SGD keeps no slots, so a restored one learns its parameter names at its next step.
      if (Object.keys(saved.slots).length > 0) {
        expect(bytes(resumed.effectiveLearningRates())).toEqual(bytes(first.effectiveLearningRates()));
      }
      for (let k = RESUME_AT; k < tr.grads.length; k++) resumed.step(params, toMap(tr.grads[k], tr.dtype));

      expect(bytes(params)).toEqual(bytes(straightParams));
      expect(resumed.getState()).toEqual(straight.getState());
      expect(bytes(resumed.effectiveLearningRates())).toEqual(bytes(straight.effectiveLearningRates()));
    });
  }
});

describe('optimizer state', () => {
  const config: OptimizerConfig = { type: 'adam', lr: 0.1, amsgrad: true };
  const stepOnce = (opt = createOptimizer(config)) => {
    opt.step({ w: new Float64Array([1, 2]) }, { w: new Float64Array([0.5, -0.5]) });
    return opt;
  };

  it('creates slots lazily, named <param>/<torch state key>', () => {
    const opt = createOptimizer(config);
    expect(opt.getState()).toEqual({ type: 'adam', step: 0, slots: {} });
    stepOnce(opt);
    expect(Object.keys(opt.getState().slots)).toEqual(['w/exp_avg', 'w/exp_avg_sq', 'w/max_exp_avg_sq']);
    expect(opt.getState().step).toBe(1);
  });

  it('hands out copies and keeps copies: neither side can alias the other', () => {
    const opt = stepOnce();
    const state = opt.getState();
    const before = Array.from(state.slots['w/exp_avg']);
    state.slots['w/exp_avg'].fill(99);
    expect(Array.from(opt.getState().slots['w/exp_avg'])).toEqual(before);

    const restored = createOptimizer(config);
    const source = opt.getState();
    restored.setState(source);
    source.slots['w/exp_avg'].fill(99);
    expect(Array.from(restored.getState().slots['w/exp_avg'])).toEqual(before);
  });

  it('reports the effective lr of the step taken, not of a learning rate set afterwards', () => {
    const opt = createOptimizer({ type: 'sgd', lr: 0.1 });
    opt.step({ w: new Float64Array(2) }, { w: new Float64Array([1, 1]) });
    opt.setLearningRate(0.5);
    expect(Array.from(opt.effectiveLearningRates().w)).toEqual([0.1, 0.1]);
    expect(opt.currentLr()).toBe(0.5);
    expect(opt.getState().step).toBe(1);
  });

  it('returns empty effective learning rates before the first step', () => {
    expect(createOptimizer(config).effectiveLearningRates()).toEqual({});
  });

  it('rejects a state of another optimizer type or with missing or unknown slots', () => {
    const adamState = stepOnce().getState();
    expect(() => createOptimizer({ type: 'adamw' }).setState(adamState)).toThrow(
      new ConfigError('state.type = "adam" is invalid: must be "adamw" (this optimizer\'s type)'),
    );
    // The same config without amsgrad keeps no max_exp_avg_sq: restoring one is a config mismatch.
    expect(() => createOptimizer({ type: 'adam' }).setState(adamState)).toThrow(/w\/max_exp_avg_sq.*slot of adam: exp_avg, exp_avg_sq/);
    const { ['w/exp_avg_sq']: _dropped, ...partial } = adamState.slots;
    expect(() => createOptimizer(config).setState({ ...adamState, slots: partial })).toThrow(
      /state\.slots\["w\/exp_avg_sq"\] = undefined is invalid: must be present/,
    );
    expect(() => createOptimizer(config).setState({ ...adamState, step: -1 })).toThrow(ConfigError);
  });

  it('rejects slots of one parameter in different dtypes (step creates them all in the parameter\'s)', () => {
    const adamState = stepOnce().getState();
    const slots = { ...adamState.slots, 'w/exp_avg_sq': Float32Array.from(adamState.slots['w/exp_avg_sq']) };
    expect(() => createOptimizer(config).setState({ ...adamState, slots })).toThrow(
      new ShapeError('state.slots of "w" have different dtypes (float32 and float64)'),
    );
  });

  it('leaves parameters, slots and the step count untouched when a gradient does not fit', () => {
    const opt = stepOnce();
    const state = opt.getState();
    const params = { a: new Float64Array([1, 2]), w: new Float64Array([1, 2]) };
    expect(() => opt.step(params, { a: new Float64Array([1, 1]), w: new Float64Array(3) })).toThrow(ShapeError);
    expect(() => opt.step(params, { a: new Float64Array([1, 1]) })).toThrow('grads["w"] is missing');
    expect(() => opt.step({ w: new Float64Array(3) }, { w: new Float64Array(3) })).toThrow(
      'params["w"] has 3 elements but its optimizer slots have 2',
    );
    expect(Array.from(params.a)).toEqual([1, 2]);
    expect(opt.getState()).toEqual(state);
  });
});
