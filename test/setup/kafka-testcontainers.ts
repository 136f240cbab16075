/**
 * The last way to a broker: a Confluent Kafka container through testcontainers, tried only when a
 * Docker engine answers. Ryuk (testcontainers' reaper) removes the container even if this process dies.
 *
 * Not exercised on the machine this was written on (it has no Docker engine): it follows the
 * @testcontainers/kafka README and typings and has never run here.
 */

/** cp-kafka 8.0.0 ships Apache Kafka 4.0 and runs KRaft by default in @testcontainers/kafka. */
const KAFKA_IMAGE = 'confluentinc/cp-kafka:8.0.0';
/** The listener @testcontainers/kafka advertises to the host. */
const KAFKA_CONTAINER_PORT = 9093;

export type ContainerBroker =
  | { readonly brokers: string[]; stop(): Promise<void> }
  | { readonly unavailable: string };

export async function startContainerBroker(): Promise<ContainerBroker> {
  let testcontainers: typeof import('testcontainers');
  try {
    testcontainers = await import('testcontainers');
  } catch (error) {
    return { unavailable: `testcontainers does not load on Node ${process.version}: ${messageOf(error)}` };
  }
  try {
    await testcontainers.getContainerRuntimeClient();
  } catch (error) {
    return { unavailable: `no Docker engine answers: ${messageOf(error)}` };
  }
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const container = await new KafkaContainer(KAFKA_IMAGE).start();
  return {
    brokers: [`${container.getHost()}:${container.getMappedPort(KAFKA_CONTAINER_PORT)}`],
    async stop() {
      await container.stop();
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
