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

/** One header's text; Kafka allows a key more than once and, like the Java client's `lastHeader`, the last value wins. */
export function headerText(raw: IHeaders[string]): string | undefined {
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  if (value === undefined) return undefined;
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

/** Every header as text (see `headerText`). */
export function headersToRecord(headers: IHeaders | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = headerText(raw);
    if (value !== undefined) record[name] = value;
  }
  return record;
}
