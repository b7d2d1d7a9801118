// What a settled system shows through its public interface, gathered for the checker: every record of the four event
// topics read from the beginning (a consumer of its own that commits nothing), the number of dead letters, and the
// HTTP views of every order, SKU and customer.
import { randomUUID } from 'node:crypto';

export const EVENT_TOPICS = ['order.events', 'inventory.events', 'supplier.events', 'notification.events'];

/** Every record of `topics` up to their current ends, per topic, with partition and offset. */
export async function readTopics(kafka, topics = EVENT_TOPICS) {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map();
  try {
    for (const topic of topics) {
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(high) > BigInt(low)) ends.set(`${topic}|${partition}`, BigInt(high));
      }
    }
  } finally {
    await admin.disconnect();
  }
  const records = Object.fromEntries(topics.map((topic) => [topic, []]));
  if (ends.size === 0) return records;
  const consumer = kafka.consumer({ groupId: `chaos-reader-${randomUUID()}`, allowAutoTopicCreation: false, maxBytesPerPartition: 4 * 1024 * 1024 });
  const remaining = new Set(ends.keys());
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const key = `${batch.topic}|${batch.partition}`;
        for (const message of batch.messages) {
          if (BigInt(message.offset) >= (ends.get(key) ?? 0n)) break;
          records[batch.topic].push({ partition: batch.partition, offset: message.offset, envelope: JSON.parse(message.value.toString('utf8')) });
        }
        if (BigInt(batch.lastOffset()) + 1n >= (ends.get(key) ?? 0n)) {
          remaining.delete(key);
          if (remaining.size === 0) done();
        }
      },
    });
    let timer;
    await Promise.race([
      finished,
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`reading the topics: ${[...remaining].join(', ')} not read to the end within 5 min`)), 300_000))),
    ]);
    clearTimeout(timer);
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/** Dead letters per `.dlq` topic (only topics that have any). */
export async function countDeadLetters(kafka, topics) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const counts = {};
    for (const topic of topics.map((t) => `${t}.dlq`)) {
      const n = (await admin.fetchTopicOffsets(topic)).reduce((sum, { high, low }) => sum + Number(BigInt(high) - BigInt(low)), 0);
      if (n > 0) counts[topic] = n;
    }
    return counts;
  } finally {
    await admin.disconnect();
  }
}

/** GETs `paths` with a few in flight at once; `value` maps an answer (status, body) to what is kept. */
export async function fetchAll(http, service, paths, value, concurrency = 8) {
  const result = {};
  const queue = [...paths];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const response = await http(service, 'GET', next.path);
        result[next.id] = value(response);
      }
    }),
  );
  return result;
}

/** The HTTP views of every order, SKU and customer the run knows of. */
export async function readViews(http, { orderIds, skus, customerIds }) {
  const [orders, skuViews, notifications] = await Promise.all([
    fetchAll(http, 'order', orderIds.map((id) => ({ id, path: `/orders/${encodeURIComponent(id)}` })), (r) => (r.status === 200 ? r.body : null)),
    fetchAll(http, 'inventory', skus.map((id) => ({ id, path: `/skus/${encodeURIComponent(id)}` })), (r) => (r.status === 200 ? r.body : null)),
    fetchAll(http, 'notification', customerIds.map((id) => ({ id, path: `/customers/${encodeURIComponent(id)}/notifications` })), (r) => (r.status === 200 ? r.body : [])),
  ]);
  return { orders, skus: skuViews, notifications };
}
