/**
 * A shuffle buffer as tf.data's `Dataset.shuffle(buffer_size)`
 * (https://www.tensorflow.org/api_docs/python/tf/data/Dataset#shuffle): the first `capacity` arrivals fill
 * the buffer; after that each arrival takes the place of a uniformly random resident, which is emitted;
 * on completion the residents drain in random order. Capacity 1 passes items through in order; a larger
 * capacity decorrelates neighbours (shuffling matters for SGD) at the cost of `capacity` items of latency.
 *
 * One `rng.int` draw per emitted item (or its exact equivalent, see ShuffleBuffer.draw), nothing else:
 * with the same seed, input and residents, the output is the same, which the bit-identical restart
 * relies on.
 */
import { Observable } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import { ConfigError } from '../errors.js';
import { Rng } from '../math/rng.js';

/**
 * Holds the residents outside the operator so a checkpoint can save them and a restart can pass them
 * back. The operator mutates `residents` in place; read it between emissions (the pipeline is
 * synchronous, so after any `next` returns it is consistent). One subscription at a time per holder.
 * Teardown does not clear it: the residents are state to checkpoint, not garbage.
 */
export interface ShuffleBufferState<T> {
  residents: T[];
}

export interface ShuffleBufferOptions<T> {
  /** Number of residents once full (>= 1). */
  readonly capacity: number;
  /** Only `int` is used; the caller checkpoints the Rng's state alongside the residents. */
  readonly rng: Pick<Rng, 'int'>;
  /**
   * Residents to start with (a restored checkpoint) and to keep up to date. If it holds more than
   * `capacity` (the capacity was lowered between runs) it keeps that size until the drain: nothing is lost.
   */
  readonly state?: ShuffleBufferState<T>;
}

export function shuffleBuffer<T>({ capacity, rng, state }: ShuffleBufferOptions<T>): OperatorFunction<T, T> {
  checkCapacity(capacity);
  return (source) =>
    new Observable<T>((subscriber) => {
      const holder: ShuffleBufferState<T> = state ?? { residents: [] };
      const buffer = new ShuffleBuffer<T>(capacity, rng, holder);
      const emit = (out: T): void => subscriber.next(out);
      const subscription = source.subscribe({
        next: (arrival) => buffer.offer(arrival, emit),
        error: (err: unknown) => subscriber.error(err),
        complete() {
          buffer.drain(emit, () => subscriber.closed);
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        // Residents this subscription owns are dropped with it; a caller's holder keeps them for the checkpoint.
        if (state === undefined) holder.residents = [];
      };
    });
}

/**
 * The buffer without rxjs, for a stage that runs it inside its own per-sample loop (the Learner: an
 * operator hop per sample costs more than the buffer's own work). Emits through the callback it is given.
 */
export class ShuffleBuffer<T> {
  /** The Rng behind `rng.int`, when it is one: full-buffer draws then skip int's per-call checks. */
  private readonly uint32: Rng | null;
  /** Rng.int's rejection bound for n = capacity (2^32 minus 2^32 mod n), computed once. */
  private readonly capacityLimit: number;

  constructor(
    readonly capacity: number,
    private readonly rng: Pick<Rng, 'int'>,
    /** Mutated in place: its residents are the checkpoint's. */
    readonly holder: ShuffleBufferState<T>,
  ) {
    checkCapacity(capacity);
    this.uint32 = rng instanceof Rng && capacity <= 0x100000000 ? rng : null;
    this.capacityLimit = 0x100000000 - (0x100000000 % capacity);
  }

  /** Takes `arrival`; once full, hands the resident it replaces to `emit`. */
  offer(arrival: T, emit: (out: T) => void): void {
    const residents = this.holder.residents;
    if (residents.length < this.capacity) {
      residents.push(arrival);
      return;
    }
    const j = this.draw(residents.length);
    const out = residents[j];
    // Order matters: replace before emitting, so a re-entrant `offer` from downstream sees a full,
    // consistent buffer and the checkpoint never sees an item both emitted and resident.
    residents[j] = arrival;
    emit(out);
  }

  /** Emits every resident in random order, stopping early once `stopped()` (the subscriber left). */
  drain(emit: (out: T) => void, stopped: () => boolean): void {
    const residents = this.holder.residents;
    while (residents.length > 0 && !stopped()) {
      const j = this.rng.int(residents.length);
      const out = residents[j];
      residents[j] = residents[residents.length - 1];
      residents.pop();
      emit(out);
    }
  }

  /**
   * rng.int(n). A full buffer draws with n = capacity on every arrival, so for an Rng that draw is
   * Rng.int's own rejection sampling with the bound computed once: the same words consumed, the same
   * index returned (the bit-identical restart depends on it), without the per-call argument checks and
   * the bound's floating-point modulo.
   */
  private draw(n: number): number {
    const uint32 = this.uint32;
    if (uint32 === null || n !== this.capacity) return this.rng.int(n);
    const limit = this.capacityLimit;
    for (;;) {
      const r = uint32.nextUint32();
      if (r < limit) return r % n;
    }
  }
}

function checkCapacity(capacity: number): void {
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new ConfigError(`shuffleBuffer.capacity: ${capacity} is invalid: must be an integer >= 1`);
  }
}
