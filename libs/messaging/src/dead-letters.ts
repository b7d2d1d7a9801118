import { randomUUID } from 'node:crypto';
import { DLQ_HEADERS, REDRIVE_HEADERS } from '@fulfillment/contracts';
import type { IHeaders, Kafka, Producer } from 'kafkajs';
import { headersToRecord } from './consumed-message.js';
import { GROUP_RECOVERY_DEFAULTS } from './kafka-batch-consumer.js';

/** A record of a `.dlq` topic with what its `x-dlq-*` headers say (see `deadLetterOf`). */
export interface DeadLetter {
  /** the DLQ topic, partition and offset: what names the dead letter */
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  /** the record's own headers (without the `x-dlq-*` ones) */
  headers: Record<string, string>;
  reason: string | null;
  sourceTopic: string | null;
  sourcePartition: number | null;
  sourceOffset: string | null;
  failedAt: string | null;
  attempts: number | null;
  consumerGroup: string | null;
  /** set when the record is itself a re-driven dead letter that failed again */
  redrivenFrom: string | null;
}

const DLQ_HEADER_NAMES = new Set<string>([...Object.values(DLQ_HEADERS), ...Object.values(REDRIVE_HEADERS)]);

export function deadLetterFromRecord(topic: string, partition: number, message: { offset: string; key: Buffer | null; value: Buffer | null; headers?: IHeaders }): DeadLetter {
  const all = headersToRecord(message.headers);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(all)) if (!DLQ_HEADER_NAMES.has(name)) headers[name] = value;
  const int = (text: string | undefined) => (text !== undefined && /^\d+$/.test(text) ? Number(text) : null);
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key === null ? null : message.key.toString('utf8'),
    value: message.value,
    headers,
    reason: all[DLQ_HEADERS.reason] ?? null,
    sourceTopic: all[DLQ_HEADERS.sourceTopic] ?? null,
    sourcePartition: int(all[DLQ_HEADERS.sourcePartition]),
    sourceOffset: all[DLQ_HEADERS.sourceOffset] ?? null,
    failedAt: all[DLQ_HEADERS.failedAt] ?? null,
    attempts: int(all[DLQ_HEADERS.attempts]),
    consumerGroup: all[DLQ_HEADERS.consumerGroup] ?? null,
    redrivenFrom: all[REDRIVE_HEADERS.from] ?? null,
  };
}

export interface ReadTopicOptions {
  /** prefix of the throwaway consumer group that reads it (deleted afterwards) */
  groupPrefix: string;
  /** gives up after this long (default 30 s) */
  timeoutMs?: number;
}

/**
 * Every record of `topic` from its oldest retained one up to its end when called, in partition and offset order.
 * kafkajs reads only through a consumer group: a throwaway one is used, never committed, and deleted afterwards, so
 * nothing is left behind and no other reader is disturbed.
 */
export async function readDeadLetters(kafka: Kafka, topic: string, options: ReadTopicOptions): Promise<DeadLetter[]> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `${options.groupPrefix}-${randomUUID()}`;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const ends = new Map(offsets.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]));
    if (ends.size === 0) return [];
    const consumer = kafka.consumer({ groupId, ...GROUP_RECOVERY_DEFAULTS, allowAutoTopicCreation: false });
    const found: DeadLetter[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`reading ${topic} took longer than ${options.timeoutMs ?? 30_000} ms`)), options.timeoutMs ?? 30_000);
        const reached = new Set<number>();
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              const end = ends.get(batch.partition);
              if (end === undefined) return;
              for (const message of batch.messages) {
                if (BigInt(message.offset) >= end) break;
                found.push(deadLetterFromRecord(topic, batch.partition, message));
              }
              const last = batch.messages.at(-1);
              if (last !== undefined && BigInt(last.offset) + 1n >= end) reached.add(batch.partition);
              if (reached.size === ends.size) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch((error: unknown) => {
            clearTimeout(timer);
            reject(error instanceof Error ? error : new Error(String(error)));
          });
      });
    } finally {
      await consumer.disconnect().catch(() => undefined);
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
    // Batches of different partitions arrive in any order; a record seen twice (a re-fetch) is kept once.
    const unique = new Map(found.map((d) => [`${d.partition}:${d.offset}`, d]));
    return [...unique.values()].sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Sends a dead letter back to its source topic as it was (key, bytes, its own headers), marked for the consumer
 * group that dead-lettered it (`REDRIVE_HEADERS`): the topic's other groups commit it unread.
 */
export async function redriveDeadLetter(producer: Producer, deadLetter: DeadLetter, sourceTopic: string): Promise<void> {
  if (deadLetter.consumerGroup === null) throw new Error(`dead letter ${deadLetter.topic}:${deadLetter.partition}:${deadLetter.offset} names no consumer group`);
  await producer.send({
    topic: sourceTopic,
    acks: -1,
    messages: [
      {
        key: deadLetter.key,
        value: deadLetter.value,
        headers: {
          ...deadLetter.headers,
          [REDRIVE_HEADERS.group]: deadLetter.consumerGroup,
          [REDRIVE_HEADERS.from]: `${deadLetter.topic}:${deadLetter.partition}:${deadLetter.offset}`,
        },
      },
    ],
  });
}
