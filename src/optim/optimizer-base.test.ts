import { describe, expect, it } from 'vitest';
import { ShapeError } from '../errors.js';
import type { ParamMap } from '../math/tensor.js';
import { createOptimizer } from './registry.js';

const maps = (): { params: ParamMap; grads: ParamMap } => ({
  params: { w: Float32Array.of(0.5, -1, 2), b: Float32Array.of(0.25) },
  grads: { w: Float32Array.of(0.1, 0.2, -0.3), b: Float32Array.of(1) },
});

describe('OptimizerBase with frozen and unfrozen maps', () => {
  it('steps frozen maps (checked once, then remembered) exactly like unfrozen ones', () => {
    const open = maps();
    const frozen = maps();
    Object.freeze(frozen.params);
    Object.freeze(frozen.grads);
    const a = createOptimizer({ type: 'adam', lr: 0.1 });
    const b = createOptimizer({ type: 'adam', lr: 0.1 });
    for (let step = 0; step < 5; step++) {
      a.step(open.params, open.grads);
      b.step(frozen.params, frozen.grads);
    }
    for (const name of ['w', 'b']) expect(Array.from(frozen.params[name])).toEqual(Array.from(open.params[name]));
    expect(b.getState()).toEqual(a.getState());
  });

  it('checks unfrozen maps on every call: a tensor swapped for a longer one is refused', () => {
    const { params, grads } = maps();
    const optimizer = createOptimizer({ type: 'sgd', lr: 0.1, momentum: 0.9 });
    optimizer.step(params, grads);
    params.w = new Float32Array(4);
    grads.w = new Float32Array(4);
    expect(() => optimizer.step(params, grads)).toThrow(ShapeError);
    expect(() => optimizer.step(params, grads)).toThrow(/has 4 elements but its optimizer slots have 3/);
  });

  it('re-checks frozen maps after setState replaces the slots', () => {
    const { params, grads } = maps();
    Object.freeze(params);
    Object.freeze(grads);
    const optimizer = createOptimizer({ type: 'sgd', lr: 0.1, momentum: 0.9 });
    optimizer.step(params, grads);
    const state = optimizer.getState();
    optimizer.setState({ ...state, slots: { ...state.slots, 'w/momentum_buffer': new Float32Array(5) } });
    expect(() => optimizer.step(params, grads)).toThrow(/params\["w"\] has 3 elements but its optimizer slots have 5/);
  });
});
