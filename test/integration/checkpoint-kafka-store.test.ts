/**
 * The Kafka compacted-topic checkpoint store against the real broker of the integration setup: a learner
 * saved on one "machine" is restored on another and continues bit-identically; a corrupt newest value
 * falls back to the previous one; a checkpoint larger than Kafka's default 1 MB message limit goes
 * through a topic the store created, and a topic with the default limit refuses it.
 */
import { from, lastValueFrom, tap, toArray } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { captureLearnerState } from '../../src/checkpoint/capture.js';
import { encodeCheckpoint } from '../../src/checkpoint/codec.js';
import { KafkaCheckpointStore } from '../../src/checkpoint/kafka-store.js';
import { PositionTracker } from '../../src/checkpoint/position.js';
import { restoreLearnerState } from '../../src/checkpoint/restore.js';
import type { Checkpoint, CheckpointPosition } from '../../src/checkpoint/types.js';
import { Learner } from '../../src/pipeline/learner.js';
import type { LearnerConfig } from '../../src/pipeline/learner.js';
import type { SourceRecord } from '../../src/sources/types.js';
import { createTestTopic, testKafkaClient, uniqueName } from '../helpers/kafka.js';

const config: LearnerConfig = {
  schema: { features: 2, task: 'binary' },
  model: { type: 'mlp', hidden: [8], dropout: 0.2 },
  loss: { type: 'bce_with_logits' },
  optimizer: { type: 'adam', lr: 0.02 },
  batchSize: 4,
  maxWaitMs: Infinity,
  shuffleBuffer: 10,
  standardize: true,
  seed: 3,
};

const records: SourceRecord[] = Array.from({ length: 120 }, (_, index) => {
  const a = Math.sin(index * 1.7) * 10 + 50;
  const b = Math.cos(index * 0.9) * 5 - 20;
  return { value: JSON.stringify({ features: [a, b], label: a + 2 * b > 10 ? 1 : 0 }), origin: { kind: 'memory', index } };
});

async function train(learner: Learner, from_: CheckpointPosition & { kind: 'memory' }, onStep?: (p: CheckpointPosition) => void): Promise<void> {
  const tracker = new PositionTracker(from_);
  const stream = from(records.slice(from_.nextIndex)).pipe(tap((r) => tracker.observe(r.origin)));
  await lastValueFrom(learner.run(stream).pipe(tap((e) => e.kind === 'step' && onStep?.(tracker.position())), toArray()));
}

const paramBytes = (learner: Learner) => Object.values(learner.setup.model.params).map((t) => Buffer.from(t.buffer, t.byteOffset, t.byteLength).toString('hex'));

const stores: KafkaCheckpointStore[] = [];
async function openStore(topic: string, learnerId: string, warn?: (m: string) => void, maxMessageBytes?: number): Promise<KafkaCheckpointStore> {
  const store = await KafkaCheckpointStore.open({ client: testKafkaClient(), topic, learnerId, warn, maxMessageBytes });
  stores.push(store);
  return store;
}
afterAll(async () => {
  for (const store of stores) await store.close();
});

describe('KafkaCheckpointStore', () => {
  it('a learner saved from one machine resumes on another bit-identically; other keys are not mixed in', async () => {
    const topic = uniqueName('ckpt');
    const straight = new Learner(config);
    await train(straight, { kind: 'memory', nextIndex: 0 });

    const first = new Learner(config);
    const captured: Checkpoint[] = [];
    await train(first, { kind: 'memory', nextIndex: 0 }, (position) => {
      if (first.counters.batchesApplied === 9 || first.counters.batchesApplied === 17) captured.push(captureLearnerState(first, position));
    });
    const machineA = await openStore(topic, 'learner-1');
    const other = await openStore(topic, 'learner-2');
    expect(await machineA.latest()).toBe(null);
    await machineA.save(captured[0]);
    await other.save(captureLearnerState(new Learner(config), { kind: 'memory', nextIndex: 99 }));
    const saved = await machineA.save(captured[1]);
    expect(saved.id).toBe(`${topic}/0@2`);

    const machineB = await openStore(topic, 'learner-1');
    const loaded = await machineB.latest();
    expect(loaded?.id).toBe(`${topic}/0@2`);
    expect(loaded?.warnings).toEqual([]);
    expect(loaded?.checkpoint).toEqual(captured[1]);
    const resumed = new Learner(config);
    const { position } = restoreLearnerState(resumed, loaded!.checkpoint);
    await train(resumed, position as { kind: 'memory'; nextIndex: number });
    expect(paramBytes(resumed)).toEqual(paramBytes(straight));
    expect(resumed.counters).toEqual(straight.counters);
    expect((await other.latest())?.checkpoint.position).toEqual({ kind: 'memory', nextIndex: 99 });
  });

  it('falls back past a corrupt newest value, and says so', async () => {
    const topic = uniqueName('ckpt');
    const told: string[] = [];
    const store = await openStore(topic, 'learner-1', (m) => told.push(m));
    await store.save(captureLearnerState(new Learner(config), { kind: 'memory', nextIndex: 5 }));
    const bytes = encodeCheckpoint(captureLearnerState(new Learner(config), { kind: 'memory', nextIndex: 6 }));
    const producer = await testKafkaClient().producer();
    try {
      await producer.send(topic, [{ key: 'learner-1', value: Buffer.from(bytes.subarray(0, bytes.length - 10)) }]);
    } finally {
      await producer.disconnect();
    }
    const loaded = await store.latest();
    expect(loaded?.id).toBe(`${topic}/0@0`);
    expect(loaded?.checkpoint.position).toEqual({ kind: 'memory', nextIndex: 5 });
    expect(loaded?.warnings).toEqual([expect.stringMatching(new RegExp(`^checkpoint ${topic}/0@1 is unreadable \\(not a readable safetensors file: .*\\); falling back to the previous one$`))]);
    expect(told).toEqual(loaded?.warnings);
  });

  it('carries a checkpoint above the 1 MB default message size through a topic it created, and a default topic refuses it', async () => {
    // 1000 -> [1000] -> 10: 1,011,010 parameters, Adam: 3 x 4 bytes each, about 12 MB.
    const big: LearnerConfig = { ...config, schema: { features: 1000, task: 'multiclass', outputs: 10 }, model: { type: 'mlp', hidden: [1000] }, loss: { type: 'softmax_cross_entropy' } };
    const learner = new Learner(big);
    learner.setup.optimizer.step(learner.setup.model.params, learner.setup.model.getParameters());
    const checkpoint = captureLearnerState(learner, { kind: 'memory', nextIndex: 0 });

    const topic = uniqueName('ckpt-big');
    const store = await openStore(topic, 'big', undefined, 32 * 1024 * 1024);
    const saved = await store.save(checkpoint);
    expect(saved.bytes).toBeGreaterThan(12_000_000);
    console.log(`[checkpoint] 1,011,010-parameter Adam checkpoint: ${saved.bytes} bytes, Kafka save ${saved.durationMs.toFixed(0)} ms`);
    const loaded = await (await openStore(topic, 'big')).latest();
    expect(loaded?.checkpoint.optimizer.step).toBe(1);
    expect(Buffer.from(loaded!.checkpoint.parameters['dense0.weight'].data.buffer).equals(Buffer.from(checkpoint.parameters['dense0.weight'].data.buffer))).toBe(true);

    const defaultTopic = await createTestTopic({ config: { 'cleanup.policy': 'compact' } });
    const refusing = await openStore(defaultTopic, 'big');
    await expect(refusing.save(checkpoint)).rejects.toThrow(/too large|MESSAGE_TOO_LARGE|larger than/i);
  });
});
