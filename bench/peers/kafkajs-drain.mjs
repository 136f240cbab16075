/**
 * The peer of the kafka-backlog-memory case: a bare kafkajs 2.2 consumer (the same client and version
 * online-learner uses, default fetch sizes: maxBytesPerPartition 1 MiB, maxBytes 10 MiB) that drains a
 * topic from the beginning and does nothing with a record but JSON.parse its value. What a Node
 * process needs to read the same backlog at all: the floor under our figure.
 *
 *   node bench/peers/kafkajs-drain.mjs '{"brokers":["127.0.0.1:9092"],"topic":"t","groupId":"g","records":1000000}'
 *
 * Exits once `records` records were parsed; prints one line `@@bench {"records":n,"seconds":s,"parseErrors":k}`.
 */
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
const { brokers, topic, groupId, records } = JSON.parse(process.argv[2]);

const consumer = new Kafka({ clientId: 'kafkajs-drain', brokers, logLevel: logLevel.ERROR }).consumer({ groupId });
await consumer.connect();
await consumer.subscribe({ topics: [topic], fromBeginning: true });

let parsed = 0;
let parseErrors = 0;
let started = 0;
const drained = new Promise((resolve) => {
  consumer.run({
    eachBatch: async ({ batch }) => {
      if (started === 0) started = performance.now();
      for (const message of batch.messages) {
        try {
          JSON.parse(message.value.toString('utf8'));
        } catch {
          parseErrors++;
        }
        parsed++;
      }
      if (parsed >= records) resolve();
    },
  });
});
await drained;
const seconds = (performance.now() - started) / 1000;
await consumer.disconnect();
process.stdout.write(`@@bench ${JSON.stringify({ records: parsed, seconds, parseErrors })}\n`);
