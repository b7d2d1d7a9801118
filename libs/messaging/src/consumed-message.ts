import type { AnyEnvelope } from '@fulfillment/contracts';
import type { IHeaders } from 'kafkajs';

/** A decoded, valid message as a batch handler receives it. */
export interface ConsumedMessage {
  envelope: AnyEnvelope;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
}

/**
 * Handles a batch all-or-nothing: the service runs one database transaction for it, so when it throws none of its
 * effects happened and the consumer may hand the same messages in again.
 */
export type BatchHandler = (messages: ConsumedMessage[]) => Promise<void>;

/** Kafka allows a header key more than once; like the Java client's `lastHeader`, the last value wins. */
export function headersToRecord(headers: IHeaders | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value === undefined) continue;
    record[name] = Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  }
  return record;
}
