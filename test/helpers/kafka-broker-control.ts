/**
 * Stop and start the test broker on the same data dir, for tests of broker failures. Only a broker the
 * global setup started with scripts/kafka-local can be restarted: elsewhere brokerControl() is null.
 */
import { inject } from 'vitest';
import { runKafkaLocal } from '../setup/kafka-local-broker.js';

export interface BrokerControl {
  stop(): Promise<void>;
  start(): Promise<void>;
}

export function brokerControl(): BrokerControl | null {
  const { control } = inject('kafka');
  if (control === null) return null;
  const run = async (command: 'start' | 'stop'): Promise<void> => {
    const result = await runKafkaLocal(command, control.env, control.script);
    if (result.code !== 0) throw new Error(`kafka-local ${command} exited ${result.code}:\n${result.output}`);
  };
  return { stop: () => run('stop'), start: () => run('start') };
}
