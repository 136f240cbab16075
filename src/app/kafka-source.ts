/**
 * A Kafka topic as a RecordSource: the consumer group's batches become an Observable of records for the
 * Learner, and offsets are committed only for records the learner is done with.
 *
 * - Offsets: per partition, the lowest consumed offset not yet acknowledged (kafka-offsets.ts) is
 *   committed every commitIntervalMs and once more on close(). Commits lag behind consumption by the
 *   records in the shuffle buffer: nothing that was not applied is ever committed.
 * - Backpressure: emission stops while too many records are held (kafka-held-records.ts); the batch
 *   handler waits and heartbeats, so a slow step does not cost the group membership.
 * - End: the Observable completes after idleExitMs without a record; unsubscribing (takeUntil on a stop
 *   signal, take(maxRecords)) stops emission at once. Either way fetching is paused and the consumer
 *   stays in the group until close(), which commits the acknowledged offsets and then disconnects:
 *   the composition root calls it after the pipeline drained, so a graceful stop commits exactly the
 *   records read.
 * - Schema: a topic cannot be peeked before the group joins, so `sample()` is null and the schema must
 *   be configured.
 * - Checkpoints (`resume`, DESIGN.md §2): reading through `resume.from(position)` switches the source to
 *   checkpoint mode. The checkpoint, not the group, is then the truth about what the model contains:
 *   every (re)assigned partition is sought to its next unread offset (the checkpoint's, then past what
 *   this process read), records below it are dropped even when a fetch raced the seek, and the group's
 *   offsets are committed only from `resume.saved(position)`, i.e. only once a checkpoint covering them
 *   is durable. A checkpointed learner owns its partitions: run one learner per group.
 *
 * One subscription per source (a consumer group member consumes once).
 */
import { Observable } from 'rxjs';
import type { Subscriber } from 'rxjs';
import { KafkaError } from '../sources/kafka/errors.js';
import type { KafkaConsumer } from '../sources/kafka/consumer.js';
import { partitionKey } from '../sources/kafka/offsets.js';
import type { KafkaRecord, PartitionOffset, TopicPartition } from '../sources/kafka/types.js';
import type { CheckpointPosition } from '../checkpoint/types.js';
import { ConfigError } from '../errors.js';
import type { Origin, SourceRecord } from '../sources/types.js';
import { HeldRecords } from './kafka-held-records.js';
import type { HeldRecordLimits, WaitContext } from './kafka-held-records.js';
import { OffsetTracker } from './kafka-offsets.js';
import type { RecordSource } from './train-job.js';

export interface KafkaSourceOptions extends HeldRecordLimits {
  /** For messages: `kafka topic T (group G)`. */
  readonly description: string;
  /** The subscribed topics: a checkpoint taken on other topics is refused. */
  readonly topics: readonly string[];
  /** Complete after this long without a record once the group is joined; omitted: never. */
  readonly idleExitMs?: number;
  readonly commitIntervalMs?: number;
  /** While waiting for the learner, heartbeat at least this often (well under the session timeout). */
  readonly heartbeatEveryMs?: number;
  /** Records behind the end of a partition, after each fetched batch (the consumer lag gauge). */
  readonly onLag?: (topic: string, partition: number, lag: number) => void;
  /** Every (re)join of the group, with the partitions assigned. */
  readonly onAssigned?: (partitions: readonly TopicPartition[]) => void;
  /** Problems that do not stop the run: a periodic commit that failed and will be retried. */
  readonly warn?: (message: string) => void;
  /**
   * Return from the batch handler once a batch is handed over, before its records are emitted, so that
   * kafkajs fetches the next batch while this one trains (it fetches only once the handler returned).
   * The next batch's handler waits, heartbeating, until this one is emitted: one batch is emitted at a
   * time, one more waits fetched (memory: one fetch more, maxBytesPerPartition). Default false.
   */
  readonly overlapFetches?: boolean;
}

export interface KafkaRecordSource extends RecordSource {
  readonly ack: (origin: Origin) => void;
  readonly close: () => Promise<void>;
  /** Records emitted and not yet acknowledged, now and at most so far. */
  readonly held: () => { readonly now: number; readonly max: number };
  /** The offsets of the last successful commit. */
  readonly committed: () => readonly PartitionOffset[];
  readonly resume: NonNullable<RecordSource['resume']>;
}

/** Emission yields to the event loop after this long... */
const YIELD_AFTER_MS = 20;
/** ...checked every this many records (a clock read per record would cost more than it saves). */
const YIELD_CHECK_EVERY = 32;

/** Takes over a connected consumer; close() disconnects it. */
export function kafkaRecordSource(consumer: KafkaConsumer, options: KafkaSourceOptions): KafkaRecordSource {
  const { description, idleExitMs, commitIntervalMs = 1_000, heartbeatEveryMs = 1_000, onLag, onAssigned, overlapFetches = false } = options;
  const warn = options.warn ?? (() => undefined);
  const tracker = new OffsetTracker();
  const held = new HeldRecords(options, heartbeatEveryMs);
  const lastCommitted = new Map<string, PartitionOffset>();
  let subscribed = false;
  // Set by resume.from(): seek on assignment, commit only checkpointed positions.
  let checkpointed = false;
  let stopped = false;
  // A consumer that stopped for good cannot commit: close() then only disconnects (the records are re-read).
  let crashed = false;
  let closing: Promise<void> | null = null;
  let idleTimer: NodeJS.Timeout | undefined;
  let commitTimer: NodeJS.Timeout | undefined;
  // With overlapFetches: the emission of the batch whose handler already returned, until it ends.
  let emitting: Promise<void> | null = null;
  // Commits run one at a time, in order: a late periodic commit must not overwrite the final one.
  let commits: Promise<void> = Promise.resolve();

  /** Commits `offsets()` of the partitions still assigned, queued behind earlier commits. */
  const commitQueued = (offsets: () => readonly PartitionOffset[]): Promise<void> => {
    const next = commits
      .catch(() => undefined)
      .then(async () => {
        const assigned = new Set(consumer.assignment().map(partitionKey));
        // A revoked partition belongs to its new owner, whose commits ours must not overwrite.
        const changed = offsets().filter((o) => assigned.has(partitionKey(o)) && lastCommitted.get(partitionKey(o))?.offset !== o.offset);
        if (changed.length === 0) return;
        await consumer.commit(changed);
        for (const o of changed) lastCommitted.set(partitionKey(o), o);
      });
    commits = next;
    return next;
  };
  const commitAcked = (): Promise<void> => commitQueued(() => tracker.committable());

  const stopFetching = (): void => {
    stopped = true;
    clearTimeout(idleTimer);
    held.release();
    consumer.pause(consumer.assignment());
  };

  const records = new Observable<SourceRecord>((subscriber) => {
    if (subscribed) {
      subscriber.error(new KafkaError('KAFKA_CONSUMER_STATE', `${description}: the source can be subscribed once`));
      return;
    }
    subscribed = true;
    const armIdleTimer = (): void => {
      if (idleExitMs === undefined || stopped) return;
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        stopFetching();
        subscriber.complete();
      }, idleExitMs);
    };
    /** Emits `batch`, then reports the lag and starts counting idle time. */
    const emitBatch = async (batch: readonly KafkaRecord[], context: WaitContext, highWatermark: string): Promise<void> => {
      try {
        await emit(batch, subscriber, context);
      } finally {
        armIdleTimer();
      }
      const last = batch[batch.length - 1].origin;
      onLag?.(last.topic, last.partition, Number(BigInt(highWatermark) - BigInt(last.offset) - 1n));
    };
    if (!checkpointed) {
      commitTimer = setInterval(() => {
        commitAcked().catch((error: unknown) => warn(`${description}: commit failed, retrying later: ${messageOf(error)}`));
      }, commitIntervalMs);
    }

    consumer
      .consume({
        onBatch: async (batch, context) => {
          if (stopped || batch.length === 0) return;
          // The learner's waits are not Kafka's silence: idle time counts only between batches.
          clearTimeout(idleTimer);
          const cancelled = (): boolean => stopped || context.isStale() || !context.isRunning();
          if (emitting !== null) {
            await held.waitFor(emitting, { heartbeat: context.heartbeat, cancelled });
            if (cancelled()) return;
            clearTimeout(idleTimer);
          }
          const emission = emitBatch(
            batch,
            {
              // A handed-over batch has no handler to fail: kafkajs meets a rebalance at its own next
              // heartbeat or fetch, and records not emitted were not consumed, so they are read again.
              heartbeat: overlapFetches ? () => context.heartbeat().catch(() => undefined) : context.heartbeat,
              cancelled,
            },
            context.highWatermark,
          );
          if (!overlapFetches) return emission;
          const handedOver = emission
            .catch((error: unknown) => subscriber.error(error))
            .finally(() => {
              if (emitting === handedOver) emitting = null;
            });
          emitting = handedOver;
        },
        onCrash: (error, restarting) => {
          if (restarting) {
            warn(`${description}: consumer restarting after ${messageOf(error)}`);
            return;
          }
          crashed = true;
          subscriber.error(error);
        },
        onAssigned: (partitions) => {
          if (checkpointed) seekToNextUnread(partitions);
          if (stopped) consumer.pause(partitions);
          onAssigned?.(partitions);
        },
      })
      .then(armIdleTimer, (error: unknown) => subscriber.error(error));

    return () => {
      if (!stopped) stopFetching();
    };
  });

  // Runs before the group's first fetch: without it, a rejoin would re-fetch from the last commit (the
  // last durable checkpoint) and a fallback to an older checkpoint would skip what the commit passed.
  const seekToNextUnread = (partitions: readonly TopicPartition[]): void => {
    for (const partition of partitions) {
      const offset = tracker.nextToRead(partition);
      if (offset !== null) consumer.seek({ ...partition, offset });
    }
  };

  const emit = async (
    batch: readonly KafkaRecord[],
    subscriber: Subscriber<SourceRecord>,
    context: WaitContext,
  ): Promise<void> => {
    let sliceStartMs = performance.now();
    for (let i = 0; i < batch.length; i++) {
      const record = batch[i];
      if (held.full) {
        await held.waitForRoom(context);
        if (context.cancelled()) return;
      }
      // Training is synchronous: without a pause, one 1 MB fetch (~15k small records) would hold the event
      // loop for a second or more, and with it checkpoint writes, heartbeats and /metrics scrapes.
      if (i % YIELD_CHECK_EVERY === 0 && performance.now() - sliceStartMs >= YIELD_AFTER_MS) {
        await held.breathe(context);
        sliceStartMs = performance.now();
        if (context.cancelled()) return;
      }
      if (subscriber.closed) return;
      if (!tracker.consume(record.origin)) continue;
      held.emitted();
      subscriber.next(record);
    }
  };

  return {
    description,
    records,
    total: null,
    sample: async () => null,
    ack: (origin) => {
      if (origin.kind === 'kafka' && tracker.ack(origin)) held.acknowledged();
    },
    close: () => {
      closing ??= (async () => {
        clearInterval(commitTimer);
        if (!stopped) stopFetching();
        // A handed-over batch stops at its next record once stopped: let it, so nothing is emitted after.
        if (emitting !== null) await emitting;
        try {
          // A periodic commit that failed is superseded by this one, which covers everything acknowledged.
          // With checkpoints, the commit of the final checkpoint is already queued: wait for it.
          if (checkpointed) await commits.catch((error: unknown) => warn(`${description}: commit failed: ${messageOf(error)}`));
          else if (!crashed) await commitAcked();
        } finally {
          await consumer.disconnect();
        }
      })();
      return closing;
    },
    held: () => ({ now: held.held, max: held.maxHeld }),
    committed: () => [...lastCommitted.values()].sort((a, b) => a.partition - b.partition),
    resume: {
      start: { kind: 'kafka', offsets: Object.create(null) as Record<string, Record<string, string>> },
      from: (position) => {
        if (subscribed) throw new KafkaError('KAFKA_CONSUMER_STATE', `${description}: resume after the records were subscribed`);
        checkpointed = true;
        if (position !== null) resumeAt(position);
        return records;
      },
      saved: (position) => {
        if (position.kind !== 'kafka') return;
        commitQueued(() => positionOffsets(position)).catch((error: unknown) =>
          warn(`${description}: commit of a checkpointed position failed, the next checkpoint retries: ${messageOf(error)}`),
        );
      },
    },
  };

  function resumeAt(position: CheckpointPosition): void {
    if (position.kind !== 'kafka') {
      throw new ConfigError(`checkpoint.dir: its checkpoints were taken reading a ${position.kind} source, this run reads ${description}: use another checkpoint.dir`);
    }
    const taken = Object.keys(position.offsets);
    if (taken.length > 0 && !taken.some((topic) => options.topics.includes(topic))) {
      throw new ConfigError(`checkpoint.dir: its checkpoints were taken reading topic(s) ${taken.join(', ')}, this run reads ${description}: use that topic or another checkpoint.dir`);
    }
    for (const o of positionOffsets(position)) tracker.startAt(o, o.offset);
  }

  function positionOffsets(position: Extract<CheckpointPosition, { kind: 'kafka' }>): PartitionOffset[] {
    return Object.entries(position.offsets)
      .filter(([topic]) => options.topics.includes(topic))
      .flatMap(([topic, partitions]) => Object.entries(partitions).map(([partition, offset]) => ({ topic, partition: Number(partition), offset })));
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
