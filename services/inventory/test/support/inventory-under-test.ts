// The inventory service on the shared ServiceUnderTest (one or several instances in one consumer group), with what its
// tests ask of it: the events it published per SKU, its dead letters, and its HTTP API.
import { randomUUID } from 'node:crypto';
import { createEnvelope, DLQ_HEADERS, TOPICS, type AnyEnvelope, type MessageData, type MessageType } from '@fulfillment/contracts';
import { eventually, ServiceUnderTest, type ServiceProcess, type TopicNamespace } from '@fulfillment/testing';

export interface DeadLetter {
  topic: string;
  value: string;
  reason: string;
}

// Tests read fields of whatever event or response they look at; the contract decoder already checked the shapes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

/** A published envelope with its data loosely typed, so tests can read any event's fields. */
export type PublishedEvent = Omit<AnyEnvelope, 'type' | 'data'> & { type: string; data: Loose };

export class InventoryUnderTest {
  private constructor(private readonly sut: ServiceUnderTest) {}

  static async start({ instances = 1, env = {} }: { instances?: number; env?: Record<string, string> } = {}): Promise<InventoryUnderTest> {
    return new InventoryUnderTest(await ServiceUnderTest.startService('inventory', { instances, env }));
  }

  get instances(): ServiceProcess[] {
    return this.sut.instances;
  }

  get namespace(): TopicNamespace {
    return this.sut.namespace;
  }

  get url(): string {
    return this.sut.url;
  }

  /** The service's own database, for tests that look at what it stored or rebuild its read models. */
  get databaseUrl(): string {
    return this.sut.database.url;
  }

  /** Everything inventory published, in arrival order. */
  get published(): PublishedEvent[] {
    const records = this.sut.received(TOPICS.inventoryEvents);
    // Everything inventory publishes must pass its own contract, exactly as its consumers decode it.
    const broken = records.find((record) => record.envelope === undefined);
    if (broken) throw new Error(`inventory published a message that breaks the contract: ${broken.value.slice(0, 200)}`);
    return records.map((record) => record.envelope as unknown as PublishedEvent);
  }

  /** Dead letters of the topics inventory consumes. */
  get deadLetters(): DeadLetter[] {
    return [TOPICS.orderEvents, TOPICS.supplierEvents].flatMap((topic) =>
      this.sut.deadLetters(topic).map((record) => ({ topic, value: record.value, reason: record.headers[DLQ_HEADERS.reason] ?? '' })),
    );
  }

  send(topic: string, ...envelopes: AnyEnvelope[]): Promise<void> {
    return this.sut.send(topic, ...envelopes);
  }

  sendRaw(topic: string, messages: { key: string; value: string }[]): Promise<void> {
    return this.sut.sendRaw(topic, messages);
  }

  /** What inventory published about one SKU, in publication order (one SKU is one partition). */
  eventsOf(sku: string, ...types: string[]): PublishedEvent[] {
    return this.published.filter((envelope) => envelope.subject === sku && (types.length === 0 || types.includes(envelope.type)));
  }

  async waitForEvents(sku: string, count: number, ...types: string[]): Promise<PublishedEvent[]> {
    try {
      return await this.sut.diagnosed(
        eventually(
          () => {
            const events = this.eventsOf(sku, ...types);
            return events.length >= count ? events : undefined;
          },
          { timeoutMs: 45_000, what: `${count} ${types.join('/') || 'events'} for ${sku}` },
        ),
      );
    } catch (error) {
      // What the SKU did publish tells a wrong decision from a stalled consumer.
      if (error instanceof Error) {
        const have = this.eventsOf(sku, ...types).length;
        error.message += `\n${sku} has ${have} of them; it published: ${this.eventsOf(sku).map((event) => event.type).join(', ') || 'nothing'}`;
      }
      throw error;
    }
  }

  async waitForDeadLetter(topic: string, predicate: (letter: DeadLetter) => boolean): Promise<DeadLetter> {
    return eventually(() => this.deadLetters.find((letter) => letter.topic === topic && predicate(letter)), {
      timeoutMs: 45_000,
      what: `a dead letter on ${topic}.dlq`,
    });
  }

  /** Waits until GET /skus/:sku shows this many open purchase orders (supplier.events is not ordered with order.events). */
  async waitForIncoming(sku: string, purchaseOrders: number): Promise<Loose> {
    return this.sut.diagnosed(eventually(
      async () => {
        const { body } = await this.http('GET', `/skus/${sku}`);
        return body?.incoming?.length === purchaseOrders ? body : undefined;
      },
      { timeoutMs: 45_000, what: `${purchaseOrders} purchase order(s) booked on ${sku}` },
    ));
  }

  /** A JSON request with a staff token; a string body is sent as it is. */
  async http(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const answer = await this.sut.http<Loose | string>(method, path, {
      headers,
      ...(typeof body === 'string' ? { rawBody: body } : body === undefined ? {} : { body }),
    });
    // A CSV report comes back as its text; an empty answer as undefined.
    return { status: answer.status, headers: answer.headers, body: (answer.body === '' ? undefined : answer.body) as Loose | undefined };
  }

  stop(): Promise<void> {
    return this.sut.stop();
  }
}
export function envelope<T extends MessageType>(
  type: T,
  data: MessageData<T>,
  meta: { id?: string; source?: string; correlationId?: string } = {},
) {
  return createEnvelope(type, data, {
    source: meta.source ?? 'test',
    correlationId: meta.correlationId ?? `corr-${randomUUID()}`,
    causationId: null,
    ...(meta.id ? { id: meta.id } : {}),
  });
}

export const uniqueSku = (label: string): string => `SKU-${label}-${randomUUID().slice(0, 8)}`;

export const inDays = (days: number): string => {
  const date = new Date(Date.now() + days * 86_400_000);
  date.setUTCHours(0, 0, 0, 0);
  return date.toISOString();
};
