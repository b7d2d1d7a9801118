// The supplier service on the shared ServiceUnderTest, with what its tests need around it: HTTP, a producer onto its
// input topics and a reader of everything it publishes and dead-letters.
import { randomUUID } from 'node:crypto';
import {
  createEnvelope,
  dlqTopicOf,
  DLQ_HEADERS,
  encodeEnvelope,
  TOPICS,
  type Envelope,
  type MessageData,
  type MessageType,
  type Topic,
} from '@fulfillment/contracts';
import { eventually, ServiceUnderTest, type ServiceProcess, type TestDatabase, type TopicNamespace } from '@fulfillment/testing';
import type pg from 'pg';

export interface Received {
  topic: Topic | `${Topic}.dlq`;
  key: string;
  value: string;
  headers: Record<string, string>;
  /** the envelope, when the value decodes (a dead letter: against its source topic) */
  envelope: (Envelope & { data: Record<string, unknown> }) | undefined;
}

export interface HttpResult<B = unknown> {
  status: number;
  body: B;
  headers: Headers;
}

/** The supplier on the shared ServiceUnderTest, with what its tests ask of it. */
export class SupplierUnderTest {
  private constructor(private readonly sut: ServiceUnderTest) {}

  static async start(): Promise<SupplierUnderTest> {
    return new SupplierUnderTest(await ServiceUnderTest.startService('supplier'));
  }

  get service(): ServiceProcess {
    return this.sut.service;
  }

  get database(): TestDatabase {
    return this.sut.database;
  }

  get namespace(): TopicNamespace {
    return this.sut.namespace;
  }

  /** What was read on supplier.events and the dead-letter topics of what the supplier consumes. */
  get received(): Received[] {
    return [TOPICS.supplierEvents, dlqTopicOf(TOPICS.supplierCommands), dlqTopicOf(TOPICS.inventoryEvents)].flatMap(
      (topic) => this.sut.received(topic) as unknown as Received[],
    );
  }

  stop(): Promise<void> {
    return this.sut.stop();
  }

  /** A JSON request with a staff token; a string body is sent as it is. */
  async http<B = Record<string, unknown>>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<B>> {
    const answer = await this.sut.http<B>(method, path, {
      headers,
      ...(typeof body === 'string' ? { rawBody: body } : body === undefined ? {} : { body }),
    });
    return { status: answer.status, body: answer.body, headers: answer.headers };
  }

  /** Sends envelopes (or raw values) to a contract topic of this namespace, keyed by subject. */
  async send(topic: Topic, ...messages: (Envelope | { key: string; value: string })[]): Promise<void> {
    await this.sut.sendRaw(
      topic,
      messages.map((m) => ('specversion' in m ? { key: m.subject, value: encodeEnvelope(m) } : { key: m.key, value: m.value })),
    );
  }

  /** What was published on supplier.events. */
  published(): Received[] {
    return this.sut.received(TOPICS.supplierEvents) as unknown as Received[];
  }

  deadLetters(topic: Topic): Received[] {
    return this.sut.deadLetters(topic) as unknown as Received[];
  }

  /** The first received message `match` accepts, once it has arrived. */
  waitFor(match: (r: Received) => boolean, what: string, timeoutMs = 30_000): Promise<Received> {
    return eventually(() => this.received.find(match), { timeoutMs, intervalMs: 50, what });
  }

  /** Queries the service's own database (to look at its event streams). */
  query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
    return this.sut.query<R>(sql, values);
  }
}

/** An envelope as another service or a client would send it. */
export function envelope<T extends MessageType>(type: T, data: MessageData<T>, source = 'supplier-tests'): Envelope {
  return createEnvelope(type, data, { source, correlationId: `corr-${randomUUID()}`, causationId: null });
}

export const dlqReason = (r: Received): string => r.headers[DLQ_HEADERS.reason] ?? '';

export const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();

/** The UTC calendar date (YYYY-MM-DD) `days` from now, to write instants in several notations. */
export const utcDate = (days: number): string => inDays(days).slice(0, 10);
