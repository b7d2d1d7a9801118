// A group member for the recovery test, built on the compiled library (dist/) with its default group timing, exactly
// as a service consumes. It reports on stdout `started`, `handled <partition> <sku>` per message, and `stopped`; the
// test learns who holds which partition from the broker (its client id is recovery-<NAME>).
import { TOPICS, decodeMessage } from '@fulfillment/contracts';
import { KafkaBatchConsumer, createKafka } from '../../dist/index.js';

const { TOPIC, GROUP_ID, KAFKA_BROKERS, NAME = 'member' } = process.env;
const report = (line) => process.stdout.write(`${line}\n`);

const consumer = new KafkaBatchConsumer({
  kafka: createKafka({ brokers: KAFKA_BROKERS.split(','), clientId: `recovery-${NAME}` }),
  groupId: GROUP_ID,
  topics: [TOPIC],
  decode: (_topic, value) => decodeMessage(TOPICS.inventoryEvents, value),
  handle: async (messages) => {
    for (const message of messages) report(`handled ${message.partition} ${message.envelope.data.sku}`);
  },
});

process.once('SIGTERM', async () => {
  await consumer.stop();
  report('stopped');
  process.exit(0);
});

await consumer.start();
report('started');
