/**
 * What the integration project's global setup hands to tests (vitest provide/inject): where the
 * broker is and, when the setup started it with scripts/kafka-local, how to stop and start it again.
 */

export type KafkaBrokerSource = 'KAFKA_BROKERS' | 'kafka-local' | 'testcontainers';

/** `bash <script> stop|start|status` with `env` added to the environment drives the same broker. */
export interface KafkaLocalControl {
  readonly script: string;
  readonly env: Readonly<Record<string, string>>;
}

export interface KafkaTestBroker {
  readonly brokers: readonly string[];
  readonly source: KafkaBrokerSource;
  /** Null when the broker is not ours to restart (KAFKA_BROKERS, testcontainers). */
  readonly control: KafkaLocalControl | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    kafka: KafkaTestBroker;
  }
}
