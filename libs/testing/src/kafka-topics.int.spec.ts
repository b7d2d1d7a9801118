// createTopicsReady on the test broker: the topics it returns can be produced to at once.
import { describe, expect, it } from '@jest/globals';
import { uniqueSuffix } from './database.js';
import { createTopicsReady, testKafka } from './index.js';

describe('createTopicsReady on the real broker', () => {
  it('creates topics on the real broker that a producer can use at once', async () => {
    const kafka = await testKafka('topics-ready');
    const admin = kafka.admin();
    await admin.connect();
    const names = [`ready-${uniqueSuffix()}`, `ready-${uniqueSuffix()}`];
    const producer = kafka.producer();
    try {
      await expect(createTopicsReady(admin, names.map((topic) => ({ topic, numPartitions: 3 })))).resolves.toBe(true);
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      expect(topics.flatMap((t) => t.partitions.map((p) => p.leader >= 0))).toEqual([true, true, true, true, true, true]);
      await producer.connect();
      await producer.send({ topic: names[0]!, acks: -1, messages: [{ value: 'x' }] });
      // Existing topics: nothing created, still ready.
      await expect(createTopicsReady(admin, names.map((topic) => ({ topic, numPartitions: 3 })))).resolves.toBe(false);
    } finally {
      await producer.disconnect();
      await admin.deleteTopics({ topics: names }).catch(() => undefined);
      await admin.disconnect();
    }
  });
});
