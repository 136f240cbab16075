/**
 * What every optimizer shares (tfjs Optimizer habit: one small base, one abstract update method):
 * the step count, the learning-rate schedule, lazily created slots named `<param>/<slot>` with torch's
 * state names, exact getState/setState, shape checks, and lazily computed effective learning rates.
 *
 * Subclasses implement `updateTensor` (one tight loop over one tensor, in JS doubles, storing into each
 * array's own dtype) and `fillEffectiveLr` (DESIGN.md §6 from the slots).
 *
 * Step count: one t for all parameters, stored in OptimizerState.step. torch keeps a step per parameter;
 * the two agree whenever the parameter set is fixed from the first step, which is how models use it. A
 * parameter first seen at a later step starts from fresh slots but shares the global t.
 *
 * Per-step cost: a step checks every gradient against its parameter and looks up each parameter's slots
 * by name, which for a model of a few dozen parameters costs more than the update itself. Maps that are
 * frozen (a model's, parameters.ts) cannot gain, lose or swap a tensor, so the checked tensors and their
 * entries are remembered for the next call with the same two maps (`Binding`); other maps are checked
 * on every call.
 */
import { ShapeError } from '../errors.js';
import { allocate, cloneTensor, dtypeOf, type DType, type ParamMap, type Tensor } from '../math/tensor.js';
import { toSchedule, type Schedule } from './schedules.js';
import type { LearningRate, Optimizer, OptimizerState, OptimizerType } from './types.js';
import { invalid } from './validate.js';

/** A per-parameter state tensor: torch's state key, and the value it starts from. */
export interface SlotSpec {
  readonly name: string;
  readonly initialValue: number;
}

interface ParamEntry {
  readonly length: number;
  readonly dtype: DType;
  readonly slots: Tensor[];
  /** True until the first update of this parameter (torch's "state buffer is None" case). */
  fresh: boolean;
}

/** One checked (params, grads) pair: its tensors and slot entries in iteration order. */
interface Binding {
  readonly paramMap: ParamMap;
  readonly gradMap: ParamMap;
  readonly params: Tensor[];
  readonly grads: Tensor[];
  readonly entries: ParamEntry[];
}

export abstract class OptimizerBase implements Optimizer {
  abstract readonly type: OptimizerType;

  private schedule: Schedule;
  private readonly lrField: string;
  private readonly slotSpecs: readonly SlotSpec[];
  private t = 0;
  /** The lr the last step used (a later setLearningRate must not rewrite history). */
  private lastLr = 0;
  private entries = new Map<string, ParamEntry>();
  private effectiveLr: ParamMap | null = null;
  /** The last frozen pair of maps stepped with; null until then and after setState. */
  private binding: Binding | null = null;
  /** Refilled on each call with maps that are not frozen, so that such a step allocates nothing either. */
  private readonly scratch: Binding = { paramMap: {}, gradMap: {}, params: [], grads: [], entries: [] };

  protected constructor(options: { lr: LearningRate; lrField: string; slots: readonly SlotSpec[] }) {
    this.lrField = options.lrField;
    this.schedule = toSchedule(options.lr, options.lrField);
    this.slotSpecs = options.slots;
  }

  /**
   * One tensor's update, in place. `slots` follow the order of the SlotSpecs given to the constructor.
   * `fresh` is true on the first update of this parameter; `lr` is the scheduled rate of step `t`.
   */
  protected abstract updateTensor(p: Tensor, g: Tensor, slots: Tensor[], fresh: boolean, lr: number, t: number): void;

  /** Per element, the factor multiplying the update direction at step t with rate lr (DESIGN.md §6). */
  protected abstract fillEffectiveLr(out: Tensor, slots: Tensor[], lr: number, t: number): void;

  step(params: ParamMap, grads: ParamMap): void {
    const bound = this.bind(params, grads);
    const t = this.t + 1;
    const lr = this.schedule(t);
    for (let i = 0; i < bound.entries.length; i++) {
      const entry = bound.entries[i];
      this.updateTensor(bound.params[i], bound.grads[i], entry.slots, entry.fresh, lr, t);
      entry.fresh = false;
    }
    this.t = t;
    this.lastLr = lr;
  }

  currentLr(): number {
    return this.schedule(this.t + 1);
  }

  setLearningRate(lr: LearningRate): void {
    this.schedule = toSchedule(lr, this.lrField);
  }

  /**
   * Computed on call from the slots of the last step (never in step's loop). The map and its buffers
   * are owned by the optimizer and overwritten by the next call. Empty before the first step; after
   * setState it covers the parameters that have slots until the next step.
   */
  effectiveLearningRates(): ParamMap {
    if (this.effectiveLr === null) {
      const out: ParamMap = {};
      for (const [name, entry] of this.entries) out[name] = allocate(entry.dtype, entry.length);
      this.effectiveLr = out;
    }
    if (this.t === 0) return this.effectiveLr;
    for (const [name, entry] of this.entries) {
      this.fillEffectiveLr(this.effectiveLr[name], entry.slots, this.lastLr, this.t);
    }
    return this.effectiveLr;
  }

  getState(): OptimizerState {
    const slots: Record<string, Tensor> = {};
    for (const [name, entry] of this.entries) {
      for (let k = 0; k < this.slotSpecs.length; k++) {
        slots[`${name}/${this.slotSpecs[k].name}`] = cloneTensor(entry.slots[k]);
      }
    }
    return { type: this.type, step: this.t, slots };
  }

  setState(state: OptimizerState): void {
    if (state.type !== this.type) invalid('state.type', state.type, `must be "${this.type}" (this optimizer's type)`);
    if (!Number.isInteger(state.step) || state.step < 0) invalid('state.step', state.step, 'must be an integer >= 0');
    const entries = this.entriesFromSlots(state.slots);
    this.entries = entries;
    this.binding = null;
    this.t = state.step;
    // The state carries no lr: the restored step's rate is what this optimizer's schedule gives at it.
    this.lastLr = state.step > 0 ? this.schedule(state.step) : 0;
    this.effectiveLr = null;
  }

  /** The tensors and entries of a step call, checked: all checks come before any update or new slot. */
  private bind(paramMap: ParamMap, gradMap: ParamMap): Binding {
    const known = this.binding;
    if (known !== null && known.paramMap === paramMap && known.gradMap === gradMap) return known;
    for (const name in paramMap) this.checkShapes(name, paramMap[name], gradMap[name]);
    const frozen = Object.isFrozen(paramMap) && Object.isFrozen(gradMap);
    const binding: Binding = frozen ? { paramMap, gradMap, params: [], grads: [], entries: [] } : this.scratch;
    const { params, grads, entries } = binding;
    params.length = 0;
    grads.length = 0;
    entries.length = 0;
    for (const name in paramMap) {
      params.push(paramMap[name]);
      grads.push(gradMap[name]);
      entries.push(this.entries.get(name) ?? this.createEntry(name, paramMap[name]));
    }
    if (frozen) this.binding = binding;
    return binding;
  }

  private checkShapes(name: string, p: Tensor, g: Tensor | undefined): void {
    if (g === undefined) throw new ShapeError(`grads["${name}"] is missing: every parameter needs a gradient`);
    if (g.length !== p.length) {
      throw new ShapeError(`grads["${name}"] has ${g.length} elements but params["${name}"] has ${p.length}`);
    }
    const entry = this.entries.get(name);
    if (entry !== undefined && entry.length !== p.length) {
      throw new ShapeError(`params["${name}"] has ${p.length} elements but its optimizer slots have ${entry.length}`);
    }
  }

  private createEntry(name: string, p: Tensor): ParamEntry {
    const dtype = dtypeOf(p);
    const slots: Tensor[] = [];
    for (const spec of this.slotSpecs) {
      const slot = allocate(dtype, p.length);
      if (spec.initialValue !== 0) slot.fill(spec.initialValue);
      slots.push(slot);
    }
    const entry: ParamEntry = { length: p.length, dtype, slots, fresh: true };
    this.entries.set(name, entry);
    this.effectiveLr = null;
    return entry;
  }

  /** Validates and deep-copies `<param>/<slot>` tensors into entries; throws before changing anything. */
  private entriesFromSlots(slots: Readonly<Record<string, Tensor>>): Map<string, ParamEntry> {
    const names = this.slotSpecs.map((spec) => spec.name);
    const byParam = new Map<string, Array<Tensor | undefined>>();
    for (const key in slots) {
      const cut = key.lastIndexOf('/');
      const slotIndex = cut < 0 ? -1 : names.indexOf(key.slice(cut + 1));
      if (slotIndex < 0) {
        invalid(`state.slots["${key}"]`, key, `must be "<param>/<slot>" with a slot of ${this.type}: ${names.join(', ') || 'none'}`);
      }
      const param = key.slice(0, cut);
      let found = byParam.get(param);
      if (found === undefined) {
        found = names.map(() => undefined);
        byParam.set(param, found);
      }
      found[slotIndex] = slots[key];
    }
    const entries = new Map<string, ParamEntry>();
    for (const [param, found] of byParam) {
      const first = found.find((slot) => slot !== undefined) as Tensor;
      const copies: Tensor[] = [];
      for (let k = 0; k < names.length; k++) {
        const slot = found[k];
        if (slot === undefined) {
          invalid(`state.slots["${param}/${names[k]}"]`, slot, `must be present: this ${this.type} keeps ${names.join(', ')}`);
        }
        if (slot.length !== first.length) {
          throw new ShapeError(`state.slots of "${param}" have different lengths (${slot.length} and ${first.length})`);
        }
        // Update loops round every slot of a parameter alike (adam-update.ts), as step creates them.
        if (dtypeOf(slot) !== dtypeOf(first)) {
          throw new ShapeError(`state.slots of "${param}" have different dtypes (${dtypeOf(slot)} and ${dtypeOf(first)})`);
        }
        copies.push(cloneTensor(slot));
      }
      entries.set(param, { length: first.length, dtype: dtypeOf(first), slots: copies, fresh: false });
    }
    return entries;
  }
}
