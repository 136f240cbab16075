import { defineConfig } from 'vitest/config';

// Two projects so that unit tests never wait for a broker: `integration` has a global setup
// that provides Kafka (KAFKA_BROKERS, else scripts/kafka-local, else testcontainers).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/setup/kafka-global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // One broker on two cores: integration files run one at a time, in one worker process.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
