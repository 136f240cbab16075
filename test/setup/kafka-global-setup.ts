/**
 * Global setup of the `integration` project: gives the tests a real Kafka broker, in this order:
 *
 *   1. KAFKA_BROKERS (comma-separated host:port), a broker someone else runs;
 *   2. a broker of our own from scripts/kafka-local (Java 17 + Maven, no Docker), on free ports with a
 *      temporary data dir, stopped in teardown whatever the tests did;
 *   3. testcontainers, when a Docker engine answers;
 *   otherwise it fails and says how to get one.
 *
 * Tests read it with inject('kafka') (see test/helpers/kafka.ts).
 */
import type { TestProject } from 'vitest/node';
import type { KafkaTestBroker } from './kafka-context.js';
import { localBrokerUnavailable, startLocalBroker } from './kafka-local-broker.js';
import { startContainerBroker } from './kafka-testcontainers.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const provide = (broker: KafkaTestBroker): void => {
    project.provide('kafka', broker);
    console.log(`[kafka] integration tests use ${broker.brokers.join(',')} (${broker.source})`);
  };

  const fromEnv = (process.env.KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter((b) => b !== '');
  if (fromEnv.length > 0) {
    provide({ brokers: fromEnv, source: 'KAFKA_BROKERS', control: null });
    return async () => {};
  }

  console.log('[kafka] no KAFKA_BROKERS: trying scripts/kafka-local (a first run downloads the Kafka jars, ~1 min)');
  const localProblem = await localBrokerUnavailable();
  if (localProblem === null) {
    const local = await startLocalBroker();
    provide({ brokers: local.brokers, source: 'kafka-local', control: local.control });
    return () => local.stop();
  }

  const container = await startContainerBroker();
  if ('brokers' in container) {
    provide({ brokers: container.brokers, source: 'testcontainers', control: null });
    return () => container.stop();
  }

  throw new Error(
    [
      'No Kafka broker for the integration tests. Any one of these gives one:',
      '  1. KAFKA_BROKERS=host:port npm test            (a broker you run, e.g. npm run kafka -- start)',
      '  2. Java 17+ and Maven on PATH                   (the tests then start scripts/kafka-local themselves;',
      '     Debian/Ubuntu: apt-get install openjdk-17-jre-headless maven)',
      '  3. a running Docker engine                      (testcontainers)',
      `Here, scripts/kafka-local said: ${localProblem}`,
      `and testcontainers: ${container.unavailable}`,
    ].join('\n'),
  );
}
