// The order service as a process on its own database and topic namespace (the shared ServiceUnderTest), with what its
// tests ask of it: the order's events on order.events and its view over HTTP.
import { TOPICS, type AnyEnvelope, type MessageData, type MessageType } from '@fulfillment/contracts';
import { eventually, ServiceUnderTest, type ReceivedRecord } from '@fulfillment/testing';

export type { ReceivedRecord };

export class OrderServiceHarness extends ServiceUnderTest {
  static async start(env: Record<string, string> = {}): Promise<OrderServiceHarness> {
    const options = { env };
    const harness = new OrderServiceHarness('order', ...(await ServiceUnderTest.startParts('order', options)));
    await harness.ready(options);
    return harness;
  }

  dispose(): Promise<void> {
    return this.stop();
  }

  /** A message as inventory (or another client) would publish it. */
  override envelope<T extends MessageType>(type: T, data: MessageData<T>, meta: { id?: string; correlationId?: string; source?: string } = {}): AnyEnvelope {
    return super.envelope(type, data, { source: 'inventory', ...meta });
  }

  /** Envelopes published on order.events about one order, in partition (= publication) order. */
  orderEvents(orderId: string): AnyEnvelope[] {
    return this.received(TOPICS.orderEvents)
      .filter((record) => record.key === orderId)
      .map((record) => JSON.parse(record.value) as AnyEnvelope);
  }

  /** Waits for the order's events on order.events to reach `count`, and returns them. */
  waitForOrderEvents(orderId: string, count: number, timeoutMs = 30_000): Promise<AnyEnvelope[]> {
    return withLastSeen(
      () => this.orderEvents(orderId).map((event) => event.type),
      eventually(
        () => {
          const events = this.orderEvents(orderId);
          return events.length >= count ? events : undefined;
        },
        { timeoutMs, what: `${count} order.events for ${orderId}` },
      ),
    );
  }

  /** Polls GET /orders/:orderId until `accept` holds for the body. */
  waitForOrder<B extends { status: string }>(orderId: string, accept: (order: B) => boolean, timeoutMs = 30_000): Promise<B> {
    let last: unknown;
    return withLastSeen(
      () => last,
      eventually(
        async () => {
          const { status, body } = await this.http<B>('GET', `/orders/${orderId}`);
          last = body;
          return status === 200 && accept(body) ? body : undefined;
        },
        { timeoutMs, what: `order ${orderId} to reach the expected view` },
      ),
    );
  }
}

/** A timeout that says what was there instead, which is what one needs to read a failing test. */
async function withLastSeen<T>(lastSeen: () => unknown, waiting: Promise<T>): Promise<T> {
  try {
    return await waiting;
  } catch (error) {
    throw new Error(`${(error as Error).message}; last seen: ${JSON.stringify(lastSeen())}`);
  }
}
