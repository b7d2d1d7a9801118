// How the publisher gets out of a producer the broker no longer accepts. The broker's answer is what is stood in
// for here (kafkajs' own error, as its client throws it); kafka-publisher.int.spec.ts publishes to a real broker.
import { describe, expect, it } from '@jest/globals';
import { KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, type Kafka, type Producer } from 'kafkajs';
import { KafkaPublisher } from './kafka-publisher.js';

interface FakeProducer {
  connects: number;
  disconnects: number;
  sends: number;
}

/** A Kafka whose producers fail their sends with `failures` (one per send, in turn), then succeed. */
function kafkaFailing(failures: unknown[]): { kafka: Kafka; producers: FakeProducer[] } {
  const producers: FakeProducer[] = [];
  const kafka = {
    producer: () => {
      const state: FakeProducer = { connects: 0, disconnects: 0, sends: 0 };
      producers.push(state);
      return {
        connect: async () => void state.connects++,
        disconnect: async () => void state.disconnects++,
        sendBatch: async () => {
          state.sends++;
          const failure = failures.shift();
          if (failure) throw failure;
          return [];
        },
      } as unknown as Producer;
    },
  } as unknown as Kafka;
  return { kafka, producers };
}

/** kafkajs builds its protocol errors from the broker's error code entry (message, type, code, retriable). */
const brokerError = (type: string, code: number, message: string) =>
  new KafkaJSProtocolError({ message, type, code, retriable: false } as unknown as Error);
const outOfOrder = () => brokerError('OUT_OF_ORDER_SEQUENCE_NUMBER', 45, 'The broker received an out of order sequence number');
const message = { topic: 'inventory.events', key: 'SKU-1', value: '{}' };

describe('KafkaPublisher with a producer the broker no longer accepts', () => {
  it('fails that publish, then publishes through a new producer (a new producer id), connected first', async () => {
    const { kafka, producers } = kafkaFailing([outOfOrder()]);
    const publisher = new KafkaPublisher(kafka);
    await publisher.connect();

    await expect(publisher.publish([message])).rejects.toMatchObject({ type: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    await publisher.publish([message]);

    expect(producers).toEqual([
      { connects: 1, disconnects: 1, sends: 1 },
      { connects: 1, disconnects: 0, sends: 1 },
    ]);
  });

  it('recognises the broker answer behind kafkajs giving up its retries, and an unknown producer id', async () => {
    const wrapped = new KafkaJSNumberOfRetriesExceeded(
      brokerError('UNKNOWN_PRODUCER_ID', 59, 'The broker could not locate the producer metadata'),
      { retryCount: 12, retryTime: 10_000 },
    );
    const { kafka, producers } = kafkaFailing([wrapped]);
    const publisher = new KafkaPublisher(kafka);
    await publisher.connect();
    await expect(publisher.publish([message])).rejects.toBe(wrapped);
    await publisher.publish([message]);
    expect(producers).toHaveLength(2);
  });

  it('keeps its producer through other failures, such as a broker that does not answer', async () => {
    const { kafka, producers } = kafkaFailing([new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092')]);
    const publisher = new KafkaPublisher(kafka);
    await publisher.connect();
    await expect(publisher.publish([message])).rejects.toThrow('ECONNREFUSED');
    await publisher.publish([message]);
    expect(producers).toEqual([{ connects: 1, disconnects: 0, sends: 2 }]);
  });
});
