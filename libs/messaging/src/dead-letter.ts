import { DLQ_HEADERS, dlqTopicOf } from '@fulfillment/contracts';
import type { IHeaders, Message } from 'kafkajs';
import { truncate } from './errors.js';

/** Where a dead letter came from: the raw record, before any decoding. */
export interface SourceRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
}

export interface Failure {
  reason: string;
  attempts: number;
  consumerGroup: string;
  failedAt: Date;
}

/** Header values are bytes on the wire, but a reason bigger than this is noise, not diagnosis. */
const MAX_REASON_HEADER_LENGTH = 1_000;

/**
 * The DLQ twin of a record: the original key, bytes and headers, so it can be replayed as it was, plus the
 * `x-dlq-*` headers saying why and from where. A record that is dead-lettered again (after a replay) gets fresh
 * `x-dlq-*` values rather than two of each.
 */
export function deadLetterOf(source: SourceRecord, failure: Failure): { topic: string; message: Message } {
  const headers: IHeaders = {};
  const ownHeaders = new Set<string>(Object.values(DLQ_HEADERS));
  for (const [name, value] of Object.entries(source.headers ?? {})) {
    if (!ownHeaders.has(name) && value !== undefined) headers[name] = value;
  }
  headers[DLQ_HEADERS.reason] = truncate(failure.reason, MAX_REASON_HEADER_LENGTH);
  headers[DLQ_HEADERS.sourceTopic] = source.topic;
  headers[DLQ_HEADERS.sourcePartition] = String(source.partition);
  headers[DLQ_HEADERS.sourceOffset] = source.offset;
  headers[DLQ_HEADERS.failedAt] = failure.failedAt.toISOString();
  headers[DLQ_HEADERS.attempts] = String(failure.attempts);
  headers[DLQ_HEADERS.consumerGroup] = failure.consumerGroup;
  return { topic: dlqTopicOf(source.topic), message: { key: source.key, value: source.value, headers } };
}
