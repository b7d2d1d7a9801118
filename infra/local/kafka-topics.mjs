// Creating topics and knowing they can be used: one helper for the scripts and the test helpers.
//
// kafkajs' `createTopics({ waitForLeaders: true })` polls the metadata of the new topics and retries only
// LEADER_NOT_AVAILABLE. A KRaft broker publishes a new topic to its metadata cache before its partitions are ready,
// and answers UNKNOWN_TOPIC_OR_PARTITION ("This server does not host this topic-partition") meanwhile; kafkajs then
// gives up and the caller fails (a CI run lost 46 e2e tests to it). Here both answers mean "not yet".

const NOT_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/**
 * Creates `topics` (kafkajs' ITopicConfig list) through a connected kafkajs admin and waits until every partition of
 * each has a leader. Returns what kafkajs returns: false when every topic existed already.
 * @param {import('kafkajs').Admin} admin
 * @param {import('kafkajs').ITopicConfig[]} topics
 * @param {{ timeoutMs?: number }} [options]
 */
export async function createTopicsReady(admin, topics, { timeoutMs = 60_000 } = {}) {
  const created = await admin.createTopics({ topics, waitForLeaders: false });
  await waitForLeaders(admin, topics.map((t) => t.topic), { timeoutMs });
  return created;
}

/**
 * Waits until every partition of `names` has a leader, reading the metadata every 100 ms.
 * @param {import('kafkajs').Admin} admin
 * @param {string[]} names
 */
export async function waitForLeaders(admin, names, { timeoutMs = 60_000 } = {}) {
  if (names.length === 0) return;
  const deadline = Date.now() + timeoutMs;
  let last = 'no metadata yet';
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      const notReady = names.filter((name) => {
        const topic = topics.find((t) => t.name === name);
        return !topic || topic.partitions.length === 0 || topic.partitions.some((p) => p.partitionErrorCode !== 0 || p.leader < 0);
      });
      if (notReady.length === 0) return;
      last = `no leader yet for ${notReady.join(', ')}`;
    } catch (error) {
      const type = error?.type ?? error?.cause?.type;
      if (!NOT_YET.has(type)) throw error;
      last = error.message;
    }
    if (Date.now() > deadline) throw new Error(`topics not ready after ${timeoutMs} ms (${last})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
