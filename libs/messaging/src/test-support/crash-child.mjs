// A consumer process for the crash test, built on the compiled library (dist/) exactly as a service would use it.
// It reports on stdout where it is ("<point> <batch number>") and, at the batch named by KILL_AT, stops there and
// waits to be killed: KILL_POINT=in-transaction (effect not committed) or after-commit (effect committed, offset not).
import pg from 'pg';
import { TOPICS, decodeMessage } from '@fulfillment/contracts';
import { KafkaBatchConsumer, createKafka } from '../../dist/index.js';
import { applyBatch, recordDeliveries } from './effects.mjs';

const { TOPIC, GROUP_ID, DATABASE_URL, KAFKA_BROKERS, KILL_POINT = 'none', KILL_AT = '0' } = process.env;
const killAt = Number(KILL_AT);
const waitForKill = () => new Promise(() => setInterval(() => undefined, 1_000));
const report = (line) => process.stdout.write(`${line}\n`);

const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
let batch = 0;
const consumer = new KafkaBatchConsumer({
  kafka: createKafka({ brokers: KAFKA_BROKERS.split(','), clientId: 'crash-child' }),
  groupId: GROUP_ID,
  topics: [TOPIC],
  maxBatchSize: 10,
  decode: (_topic, value) => decodeMessage(TOPICS.inventoryEvents, value),
  consumerConfig: { sessionTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 },
  handle: async (messages) => {
    batch += 1;
    const current = batch;
    report(`handling ${current} ${messages[0].offset}`);
    await recordDeliveries(pool, messages);
    await applyBatch(pool, messages, {
      beforeCommit: async () => {
        if (KILL_POINT === 'in-transaction' && current === killAt) {
          report(`in-transaction ${current}`);
          await waitForKill();
        }
      },
    });
    if (KILL_POINT === 'after-commit' && current === killAt) {
      report(`after-commit ${current}`);
      await waitForKill();
    }
    report(`handled ${current}`);
  },
});

process.once('SIGTERM', async () => {
  await consumer.stop();
  await pool.end();
  report('stopped');
  process.exit(0);
});

await consumer.start();
report('started');
