/**
 * Topic management and offset queries: what the learner needs for setup, lag metrics and tests.
 */
import type { Admin, Kafka } from 'kafkajs';
import { ConfigError } from '../../errors.js';
import { kafkaCall, KafkaError, toKafkaError } from './errors.js';
import type { CommittedOffset, PartitionOffset, TopicSpec } from './types.js';
import { requirePositiveInteger } from './validate.js';

export interface KafkaAdmin {
  /**
   * Creates the topics that do not exist yet and waits until every partition has a leader, so a
   * producer can write at once. Resolves to false when all of them already existed (their settings
   * are not compared).
   */
  createTopics(topics: readonly TopicSpec[]): Promise<boolean>;
  deleteTopics(topics: readonly string[]): Promise<void>;
  /** Per partition, the offset the next produced record will get (the high watermark). */
  endOffsets(topic: string): Promise<PartitionOffset[]>;
  /** Per partition, the group's committed next offset; lag = end - committed. */
  committedOffsets(groupId: string, topic: string): Promise<CommittedOffset[]>;
  disconnect(): Promise<void>;
}

/** Kafka's rule for topic names (kafka.common.internals.Topic). */
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export function validateTopicSpec(spec: TopicSpec): void {
  if (typeof spec.topic !== 'string' || !TOPIC_NAME.test(spec.topic)) {
    throw new ConfigError(`topic: ${JSON.stringify(spec.topic)} must be 1-249 characters of a-z A-Z 0-9 . _ -`);
  }
  if (spec.partitions !== undefined) requirePositiveInteger(`${spec.topic}.partitions`, spec.partitions);
  if (spec.replicationFactor !== undefined) {
    requirePositiveInteger(`${spec.topic}.replicationFactor`, spec.replicationFactor);
  }
}

export interface KafkaAdminOptions {
  /** How long createTopics waits for every new partition to have a leader. */
  readonly topicReadyTimeoutMs?: number;
}

export async function connectAdmin(
  kafka: Kafka,
  { topicReadyTimeoutMs = 30_000 }: KafkaAdminOptions = {},
): Promise<KafkaAdmin> {
  requirePositiveInteger('admin.topicReadyTimeoutMs', topicReadyTimeoutMs);
  const admin = kafka.admin();
  await kafkaCall('connect admin', () => admin.connect());
  return {
    async createTopics(topics) {
      for (const spec of topics) validateTopicSpec(spec);
      const names = topics.map((t) => t.topic);
      const created = await kafkaCall(`create topics ${names.join(', ')}`, () =>
        admin.createTopics({
          // kafkajs' own wait gives up on UNKNOWN_TOPIC_OR_PARTITION, which a KRaft broker answers for
          // a moment after creating a topic: we wait ourselves (waitUntilServed below).
          waitForLeaders: false,
          topics: topics.map((spec) => ({
            topic: spec.topic,
            numPartitions: spec.partitions ?? 1,
            // -1 asks the broker for its default (KIP-464).
            replicationFactor: spec.replicationFactor ?? -1,
            configEntries: Object.entries(spec.config ?? {}).map(([name, value]) => ({ name, value })),
          })),
        }),
      );
      await waitUntilServed(admin, names, topicReadyTimeoutMs);
      return created;
    },
    async deleteTopics(topics) {
      await kafkaCall(`delete topics ${topics.join(', ')}`, () => admin.deleteTopics({ topics: [...topics] }));
    },
    async endOffsets(topic) {
      const offsets = await kafkaCall(`end offsets of ${topic}`, () => admin.fetchTopicOffsets(topic));
      return offsets
        .map(({ partition, high }) => ({ topic, partition, offset: high }))
        .sort((a, b) => a.partition - b.partition);
    },
    async committedOffsets(groupId, topic) {
      const [committed] = await kafkaCall(`committed offsets of group ${groupId} on ${topic}`, () =>
        admin.fetchOffsets({ groupId, topics: [topic] }),
      );
      return (committed?.partitions ?? [])
        // kafkajs reports "no commit" as offset -1.
        .map(({ partition, offset }) => ({ topic, partition, offset: offset === '-1' ? null : offset }))
        .sort((a, b) => a.partition - b.partition);
    },
    disconnect: () => kafkaCall('disconnect admin', () => admin.disconnect()),
  };
}

const LEADER_POLL_MS = 100;

/**
 * Until every partition answers on its leader. Metadata naming a leader is not enough: a KRaft broker
 * publishes it before the partition takes requests, and a produce in that window fails with
 * NOT_LEADER_OR_FOLLOWER; kafkajs then resends the whole request, writing the partitions that did
 * succeed twice. A ListOffsets answer comes from the partition itself, like a produce.
 */
async function waitUntilServed(admin: Admin, topics: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no metadata yet';
  for (;;) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      const leaderless = metadata.filter(
        ({ partitions }) =>
          partitions.length === 0 || partitions.some((p) => p.leader < 0 || p.partitionErrorCode !== 0),
      );
      if (leaderless.length === 0) {
        for (const topic of topics) await admin.fetchTopicOffsets(topic);
        return;
      }
      lastProblem = `no leader yet for ${leaderless.map((t) => t.name).join(', ')}`;
    } catch (error) {
      const mapped = toKafkaError(error, `metadata of ${topics.join(', ')}`);
      if (!mapped.retriable) throw mapped;
      lastProblem = mapped.message;
    }
    if (Date.now() >= deadline) {
      const message = `topics ${topics.join(', ')} not ready after ${timeoutMs} ms: ${lastProblem}`;
      throw new KafkaError('KAFKA_TIMEOUT', message, { retriable: true });
    }
    await new Promise((done) => setTimeout(done, LEADER_POLL_MS));
  }
}
