// createTopicsReady (infra/local/kafka-topics.mjs) on an admin that answers the way a KRaft broker does right after
// it created a topic. Needs nothing running; kafka-topics.int.spec.ts runs it on the real broker.
import { describe, expect, it } from '@jest/globals';
import { KafkaJSProtocolError, type Admin, type ITopicConfig } from 'kafkajs';
import { createTopicsReady } from './index.js';

/**
 * kafkajs' own error for an error code, as its protocol decoder throws it: made from the decoded error, whose type,
 * code and retriability it keeps (kafkajs' typings declare only the Error it also takes).
 */
function protocolError(type: string, code: number, retriable: boolean, message: string): KafkaJSProtocolError {
  const decoded = { name: 'KafkaJSProtocolError', message, type, code, retriable };
  return new KafkaJSProtocolError(decoded);
}

/** The answer of a broker that has just created the topic (3) or not yet elected its leader (5). */
const notReady = (code: 3 | 5): Error =>
  protocolError(code === 3 ? 'UNKNOWN_TOPIC_OR_PARTITION' : 'LEADER_NOT_AVAILABLE', code, true, `code ${code}`);

/** An admin whose metadata answers come from `answers` in turn (an Error is thrown), the last one repeated. */
function scriptedAdmin(answers: Array<Error | Array<{ name: string; leader: number; errorCode?: number }>>) {
  const calls = { createTopics: [] as unknown[], metadata: 0 };
  const admin = {
    createTopics: async (options: unknown) => {
      calls.createTopics.push(options);
      return true;
    },
    fetchTopicMetadata: async () => {
      const answer = answers[Math.min(calls.metadata, answers.length - 1)]!;
      calls.metadata += 1;
      if (answer instanceof Error) throw answer;
      return { topics: answer.map(({ name, leader, errorCode }) => ({ name, partitions: [{ partitionId: 0, leader, partitionErrorCode: errorCode ?? 0, replicas: [1], isr: [1] }] })) };
    },
  };
  return { admin: admin as unknown as Admin, calls };
}

const TOPICS: ITopicConfig[] = [{ topic: 'a', numPartitions: 1 }, { topic: 'b', numPartitions: 1 }];

describe('createTopicsReady', () => {
  it('waits out "does not host this topic-partition" and a missing leader, then returns', async () => {
    const { admin, calls } = scriptedAdmin([
      notReady(3),
      notReady(5),
      [{ name: 'a', leader: 1 }],
      [{ name: 'a', leader: 1 }, { name: 'b', leader: -1 }],
      [{ name: 'a', leader: 1 }, { name: 'b', leader: 1, errorCode: 5 }],
      [{ name: 'a', leader: 1 }, { name: 'b', leader: 1 }],
    ]);
    await expect(createTopicsReady(admin, TOPICS)).resolves.toBe(true);
    expect(calls.metadata).toBe(6);
    // kafkajs' own wait (which gives up on the first answer above) is not used.
    expect(calls.createTopics).toEqual([{ topics: TOPICS, waitForLeaders: false }]);
  });

  it('fails on any other error at once, and says what was missing when the time is up', async () => {
    const denied = protocolError('TOPIC_AUTHORIZATION_FAILED', 29, false, 'denied');
    const { admin, calls } = scriptedAdmin([denied]);
    await expect(createTopicsReady(admin, TOPICS)).rejects.toBe(denied);
    expect(calls.metadata).toBe(1);

    const never = scriptedAdmin([[{ name: 'a', leader: 1 }]]);
    await expect(createTopicsReady(never.admin, TOPICS, { timeoutMs: 300 })).rejects.toThrow('topics not ready after 300 ms (no leader yet for b)');
  });
});
