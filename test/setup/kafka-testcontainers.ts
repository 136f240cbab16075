/**
 * The last way to a broker: a Confluent Kafka container through testcontainers, tried only when a
 * Docker engine answers. Ryuk (testcontainers' reaper) removes the container even if this process dies.
 *
 * Never run where this was written: that machine has no Docker engine, and on its Node 20 the installed
 * testcontainers 12.0.4 cannot even be imported (see the hint below). It follows the
 * @testcontainers/kafka typings and README.
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
    // testcontainers 12 depends on undici 8, which needs Node >= 22.19 and fails at import on Node 20.
    const hint = Number(process.versions.node.split('.')[0]) < 22 ? ' (on Node 20 it needs testcontainers 11.x)' : '';
    return { unavailable: `testcontainers does not load on Node ${process.version}${hint}: ${messageOf(error)}` };
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
