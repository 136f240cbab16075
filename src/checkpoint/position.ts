/**
 * The stream position a checkpoint stores: per source, the next record after the last one handed to
 * the learner. Tap the records on their way into `Learner.run` (`records.pipe(tap((r) =>
 * tracker.observe(r.origin)))`): the pipeline is synchronous, so at a step event the tracker has seen
 * exactly the records the learner's state covers.
 *
 * Kafka offsets are int64 decimal strings: incremented with BigInt, and a partition's position only
 * moves forward (a redelivered batch does not move it back).
 */
import { ConfigError } from '../errors.js';
import type { Origin } from '../sources/types.js';
import type { CheckpointPosition } from './types.js';

export class PositionTracker {
  private kind: CheckpointPosition['kind'];
  private path = '';
  private nextLine = 1;
  private nextIndex = 0;
  /** topic -> partition -> next offset. */
  private readonly offsets = new Map<string, Map<string, bigint>>();

  /** `start`: a restored checkpoint's position, or the source's beginning. */
  constructor(start: CheckpointPosition) {
    this.kind = start.kind;
    switch (start.kind) {
      case 'file':
        this.path = start.path;
        this.nextLine = start.nextLine;
        break;
      case 'memory':
        this.nextIndex = start.nextIndex;
        break;
      case 'kafka':
        for (const [topic, partitions] of Object.entries(start.offsets)) {
          for (const [partition, offset] of Object.entries(partitions)) this.partitionsOf(topic).set(partition, BigInt(offset));
        }
        break;
    }
  }

  observe(origin: Origin): void {
    if (origin.kind !== this.kind) {
      throw new ConfigError(`checkpoint position: a ${origin.kind} record arrived but the position is of a ${this.kind} source`);
    }
    switch (origin.kind) {
      case 'file':
        this.path = origin.path;
        if (origin.line >= this.nextLine) this.nextLine = origin.line + 1;
        break;
      case 'memory':
        if (origin.index >= this.nextIndex) this.nextIndex = origin.index + 1;
        break;
      case 'kafka': {
        const partitions = this.partitionsOf(origin.topic);
        const key = String(origin.partition);
        const next = BigInt(origin.offset) + 1n;
        const seen = partitions.get(key);
        if (seen === undefined || next > seen) partitions.set(key, next);
        break;
      }
    }
  }

  position(): CheckpointPosition {
    switch (this.kind) {
      case 'file':
        return { kind: 'file', path: this.path, nextLine: this.nextLine };
      case 'memory':
        return { kind: 'memory', nextIndex: this.nextIndex };
      case 'kafka': {
        // No prototype: "__proto__" is a legal topic name.
        const offsets = Object.create(null) as Record<string, Record<string, string>>;
        for (const [topic, partitions] of this.offsets) {
          const nexts = Object.create(null) as Record<string, string>;
          for (const [partition, next] of partitions) nexts[partition] = next.toString();
          offsets[topic] = nexts;
        }
        return { kind: 'kafka', offsets };
      }
    }
  }

  private partitionsOf(topic: string): Map<string, bigint> {
    let partitions = this.offsets.get(topic);
    if (partitions === undefined) {
      partitions = new Map();
      this.offsets.set(topic, partitions);
    }
    return partitions;
  }
}
