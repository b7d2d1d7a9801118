// An OutboxRelay with a real Kafka producer in a process of its own, so that a test can SIGKILL it at a chosen
// moment. It imports the library transpiled by the test (ES_LIB), reports progress as JSON lines on stdout and,
// at CRASH_POINT, reports and then hangs until killed:
//   before-publish  rows are committed in the outbox, nothing has been sent
//   after-publish   the first batch is on the broker, its rows are not deleted yet
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { pino } from 'pino';

const { ES_LIB, DATABASE_URL, CRASH_POINT = '', BATCH_SIZE = '500' } = process.env;
const { OutboxRelay } = await import(pathToFileURL(join(ES_LIB, 'index.js')).href);
const { createKafkaPublisher } = await import(pathToFileURL(join(ES_LIB, 'testing-env.js')).href);

const report = (event, details = {}) => process.stdout.write(`${JSON.stringify({ event, ...details })}\n`);
const hang = () => new Promise(() => {});

const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 3 });
const kafka = await createKafkaPublisher();

const publish = async (batch) => {
  const positions = batch.map((record) => String(record.position));
  if (CRASH_POINT === 'before-publish') {
    report('about-to-publish', { positions });
    await hang();
  }
  await kafka.publish(batch);
  if (CRASH_POINT === 'after-publish') {
    report('published', { positions });
    await hang();
  }
};

const relay = new OutboxRelay(pool, publish, {
  batchSize: Number(BATCH_SIZE),
  pollIntervalMs: 100,
  logger: pino({ name: 'relay-child' }, pino.destination(2)),
});

process.on('SIGTERM', async () => {
  await relay.stop();
  await kafka.disconnect();
  await pool.end();
  report('stopped');
  process.exit(0);
});

await relay.start();
report('started', { leader: relay.isLeader });
