// The mission, end to end: the four services as separate processes on a real broker and real databases.
//
// SKU A: 2 on hand, a purchase order of 3 due in 10 days. Five customers order 1 each: customers 1-2 are confirmed,
// 3-5 backordered with the purchase order's date. The date moves: 3-5 are told. 2 arrive: 3 and 4 are allocated, in
// that order; 5 still waits. Customer 1 cancels: 5 is allocated. SKU B has no restock plan: the order is rejected as
// out of stock naming its substitute, and the customer is told when stock appears.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { TOPICS } from '@fulfillment/contracts';
import {
  eventually,
  freePortPair,
  notificationKinds,
  okBody,
  startSystem,
  type NotificationView,
  type RunningSystem,
  type ServiceKey,
  type TopicRecorder,
} from '@fulfillment/testing';
import { SMTPServer } from 'smtp-server';

interface Mail {
  to: string[];
  body: string;
}
interface OrderView {
  orderId: string;
  status: string;
  lines: { sku: string; quantity: number; reserved: number; allocated: number; backordered: number; unavailable: number; released: number; expectedAt: string | null }[];
}

const DAY = 24 * 60 * 60 * 1000;
const run = randomUUID().slice(0, 8);
const SKU_A = `A-${run}`;
const SKU_B = `B-${run}`;
const customers = [1, 2, 3, 4, 5].map((n) => `cust-${n}-${run}`);
const outOfStockCustomer = `cust-6-${run}`;
const emailOf = (customerId: string) => `${customerId}@shop.example`;

describe('backorders handled right, end to end', () => {
  let system: RunningSystem;
  let smtp: SMTPServer;
  const mails: Mail[] = [];
  let inventoryEvents: TopicRecorder;
  let orderEvents: TopicRecorder;
  let notificationEvents: TopicRecorder;
  const orderIds: string[] = [];
  let purchaseOrderId: string;
  let promised: string;

  const http = async <T>(service: ServiceKey, method: string, path: string, body?: unknown) =>
    okBody(await system.http<T>(service, method, path, { body }), `${method} ${service}${path}`);
  const order = (id: string) => http<OrderView>('order', 'GET', `/orders/${id}`);
  const notificationsOf = (customerId: string) => http<NotificationView[]>('notification', 'GET', `/customers/${customerId}/notifications`);
  const settledOrder = (id: string) =>
    eventually(async () => {
      const o = await order(id);
      return o.status === 'pending' ? undefined : o;
    }, { timeoutMs: 60_000, what: `order ${id} answered by inventory` });
  const kindsOf = async (customerId: string, channel = 'in-app') => notificationKinds(await notificationsOf(customerId), channel);
  const waitKinds = (customerId: string, expected: string[]) =>
    eventually(async () => {
      const kinds = await kindsOf(customerId);
      return kinds.length >= expected.length ? kinds : undefined;
    }, { timeoutMs: 60_000, what: `${expected.length} notifications for ${customerId}` });

  beforeAll(async () => {
    const smtpPort = await freePortPair();
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let body = '';
        stream.on('data', (d: Buffer) => (body += d.toString()));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), body });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve));
    system = await startSystem({ env: { notification: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, EMAIL_FROM: 'Shop <orders@shop.example>' } } });
    [inventoryEvents, orderEvents, notificationEvents] = await Promise.all([
      system.record(TOPICS.inventoryEvents),
      system.record(TOPICS.orderEvents),
      system.record(TOPICS.notificationEvents),
    ]);
  }, 240_000);

  afterAll(async () => {
    await system?.stop();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  }, 60_000);

  it('sets up SKU A with 2 on hand and a purchase order of 3 due in 10 days', async () => {
    await http('inventory', 'PUT', `/skus/${SKU_A}`, { backorderable: true, substitutes: [] });
    await http('inventory', 'POST', `/skus/${SKU_A}/adjustments`, { delta: 2, reason: 'initial count' });
    const po = await http<{ purchaseOrderId: string; expectedAt: string }>('supplier', 'POST', '/purchase-orders', {
      sku: SKU_A,
      quantity: 3,
      expectedAt: new Date(Date.now() + 10 * DAY).toISOString(),
    });
    purchaseOrderId = po.purchaseOrderId;
    promised = po.expectedAt;
    const sku = await eventually(async () => {
      const s = await http<{ onHand: number; incoming: { purchaseOrderId: string }[] }>('inventory', 'GET', `/skus/${SKU_A}`);
      return s.incoming.length === 1 ? s : undefined;
    }, { what: 'the purchase order registered by inventory' });
    expect(sku).toMatchObject({ onHand: 2, available: 2, incoming: [{ purchaseOrderId, quantity: 3, expectedAt: promised }] });
  }, 60_000);

  it('confirms customers 1 and 2 and backorders 3, 4 and 5 with the purchase order date', async () => {
    for (const customerId of customers) {
      const placed = await http<{ orderId: string; status: string }>('order', 'POST', '/orders', {
        customerId,
        email: emailOf(customerId),
        lines: [{ sku: SKU_A, quantity: 1 }],
      });
      expect(placed.status).toBe('pending');
      orderIds.push(placed.orderId);
      await settledOrder(placed.orderId); // one at a time, so the queue order is the customers' order
    }
    const views = await Promise.all(orderIds.map(order));
    expect(views.map((v) => v.status)).toEqual(['confirmed', 'confirmed', 'backordered', 'backordered', 'backordered']);
    for (const v of views.slice(2)) expect(v.lines[0]).toMatchObject({ quantity: 1, backordered: 1, expectedAt: promised });
    for (const v of views.slice(0, 2)) expect(v.lines[0]).toMatchObject({ quantity: 1, reserved: 1, expectedAt: null });

    const queued = await inventoryEvents.waitFor((all) => all.filter((e) => e.type === 'BackorderQueued' && e.subject === SKU_A), 3);
    expect(queued.map((e) => (e.data as { orderId: string }).orderId)).toEqual(orderIds.slice(2));
    expect(queued.map((e) => (e.data as { position: number }).position)).toEqual([1, 2, 3]);

    expect(await waitKinds(customers[0], ['order-confirmed'])).toEqual(['order-confirmed']);
    expect(await waitKinds(customers[2], ['backordered'])).toEqual(['backordered']);
  }, 120_000);

  it('tells the three waiting customers when the purchase order date moves', async () => {
    const later = new Date(new Date(promised).getTime() + 5 * DAY).toISOString();
    await http('supplier', 'PATCH', `/purchase-orders/${purchaseOrderId}`, { expectedAt: later });
    for (const customerId of customers.slice(2)) {
      expect(await waitKinds(customerId, ['backordered', 'backorder-eta-changed'])).toEqual(['backordered', 'backorder-eta-changed']);
    }
    // The order service reads the same BackorderEtaChanged as the notification service, each at its own pace.
    for (const id of orderIds.slice(2)) {
      const line = await eventually(async () => {
        const view = (await order(id)).lines[0];
        return view.expectedAt === later ? view : undefined;
      }, { what: `order ${id} shows the new date` });
      expect(line.expectedAt).toBe(later);
    }
    for (const customerId of customers.slice(0, 2)) expect(await kindsOf(customerId)).toEqual(['order-confirmed']);
    promised = later;
  }, 90_000);

  it('allocates customers 3 and 4, in that order, when 2 arrive; customer 5 still waits', async () => {
    await http('supplier', 'POST', `/purchase-orders/${purchaseOrderId}/receipts`, { quantity: 2 });
    const allocated = await inventoryEvents.waitFor((all) => all.filter((e) => e.type === 'BackorderAllocated' && e.subject === SKU_A), 2);
    expect(allocated.map((e) => (e.data as { orderId: string }).orderId)).toEqual([orderIds[2], orderIds[3]]);
    await eventually(async () => ((await order(orderIds[3])).status === 'confirmed' ? true : undefined), { what: 'order 4 confirmed' });
    expect((await order(orderIds[2])).lines[0]).toMatchObject({ allocated: 1, backordered: 0 });
    expect(await order(orderIds[4])).toMatchObject({ status: 'backordered', lines: [{ backordered: 1, expectedAt: promised }] });
    expect(await waitKinds(customers[3], ['backordered', 'backorder-eta-changed', 'backorder-allocated'])).toEqual([
      'backordered',
      'backorder-eta-changed',
      'backorder-allocated',
    ]);
  }, 90_000);

  it('allocates customer 5 when customer 1 cancels', async () => {
    await http('order', 'POST', `/orders/${orderIds[0]}/cancel`, { reason: 'changed my mind' });
    const allocated = await inventoryEvents.waitFor((all) => all.filter((e) => e.type === 'BackorderAllocated' && e.subject === SKU_A), 3);
    expect((allocated[2].data as { orderId: string }).orderId).toBe(orderIds[4]);
    await eventually(async () => ((await order(orderIds[4])).status === 'confirmed' ? true : undefined), { what: 'order 5 confirmed' });
    expect(await order(orderIds[0])).toMatchObject({ status: 'cancelled', lines: [{ released: 1, reserved: 0 }] });
    expect(await waitKinds(customers[0], ['order-confirmed', 'order-cancelled'])).toEqual(['order-confirmed', 'order-cancelled']);
    expect(await waitKinds(customers[4], ['backordered', 'backorder-eta-changed', 'backorder-allocated'])).toEqual([
      'backordered',
      'backorder-eta-changed',
      'backorder-allocated',
    ]);
    const sku = await http<{ onHand: number; reserved: number; available: number; queue: unknown[] }>('inventory', 'GET', `/skus/${SKU_A}`);
    expect(sku).toMatchObject({ onHand: 4, reserved: 4, available: 0, queue: [] });
  }, 90_000);

  it('rejects an order for a SKU with no restock plan, names the substitute, and tells the customer when stock appears', async () => {
    await http('inventory', 'PUT', `/skus/${SKU_B}`, { backorderable: true, leadTimeDays: null, substitutes: [SKU_A] });
    const placed = await http<{ orderId: string }>('order', 'POST', '/orders', {
      customerId: outOfStockCustomer,
      email: emailOf(outOfStockCustomer),
      lines: [{ sku: SKU_B, quantity: 1 }],
    });
    expect(await settledOrder(placed.orderId)).toMatchObject({ status: 'rejected', lines: [{ unavailable: 1 }] });
    const [unavailable] = await inventoryEvents.waitFor((all) => all.filter((e) => e.type === 'StockUnavailable' && e.subject === SKU_B));
    expect(unavailable.data).toMatchObject({ orderId: placed.orderId, substitutes: [SKU_A] });
    const [outOfStock] = await eventually(async () => {
      const list = (await notificationsOf(outOfStockCustomer)).filter((n) => n.kind === 'out-of-stock' && n.channel === 'in-app');
      return list.length ? list : undefined;
    }, { what: 'the out-of-stock notification' });
    expect(outOfStock.message).toContain(SKU_A);

    await http('inventory', 'POST', `/skus/${SKU_B}/adjustments`, { delta: 5, reason: 'found in the back' });
    expect(await waitKinds(outOfStockCustomer, ['out-of-stock', 'back-in-stock'])).toEqual(['out-of-stock', 'back-in-stock']);
  }, 90_000);

  it('told every customer exactly once per change and channel, by email too, and published each as CustomerNotified', async () => {
    const everyone = [...customers, outOfStockCustomer];
    const expected: Record<string, string[]> = {
      [customers[0]]: ['order-confirmed', 'order-cancelled'],
      [customers[1]]: ['order-confirmed'],
      [customers[2]]: ['backordered', 'backorder-eta-changed', 'backorder-allocated'],
      [customers[3]]: ['backordered', 'backorder-eta-changed', 'backorder-allocated'],
      [customers[4]]: ['backordered', 'backorder-eta-changed', 'backorder-allocated'],
      [outOfStockCustomer]: ['out-of-stock', 'back-in-stock'],
    };
    // Let redeliveries or late duplicates show up if there were any.
    await new Promise((r) => setTimeout(r, 2000));
    for (const customerId of everyone) {
      const list = await notificationsOf(customerId);
      expect(notificationKinds(list)).toEqual(expected[customerId]);
      expect(notificationKinds(list, 'email')).toEqual(expected[customerId]);
      expect(new Set(list.map((n) => n.notificationId)).size).toBe(list.length);
      for (const n of list) expect(n.message).not.toContain(emailOf(customerId));
    }
    const total = Object.values(expected).reduce((sum, kinds) => sum + kinds.length, 0);
    const emails = await eventually(() => (mails.length >= total ? mails : undefined), { timeoutMs: 60_000, what: `${total} emails received by the SMTP server` });
    expect(emails).toHaveLength(total);
    for (const customerId of everyone) {
      expect(emails.filter((m) => m.to.includes(emailOf(customerId)))).toHaveLength(expected[customerId].length);
    }
    // quoted-printable soft line breaks aside, the allocation mail says what arrived for which order
    const unwrapped = (m: Mail) => m.body.replace(/=\r?\n/g, '');
    expect(emails.some((m) => m.to.includes(emailOf(customers[4])) && unwrapped(m).includes(`of ${SKU_A} for your order ${orderIds[4]}`))).toBe(true);

    const published = await notificationEvents.waitFor((all) => all.filter((e) => e.type === 'CustomerNotified'), total * 2);
    expect(new Set(published.map((e) => (e.data as { notificationId: string }).notificationId)).size).toBe(published.length);
    for (const e of published) expect(e.subject).toBe((e.data as { customerId: string }).customerId);

    // OrderStatusChanged carries the order's view each time it changes (here also for the date change), so read the
    // status transitions out of it.
    const views = orderEvents.ofType('OrderStatusChanged').filter((e) => e.data.orderId === orderIds[4]);
    const transitions = views.map((e) => e.data.status).filter((status, i, all) => i === 0 || all[i - 1] !== status);
    expect(transitions).toEqual(['backordered', 'confirmed']);
    expect(views.at(-1)?.data.lines).toEqual([expect.objectContaining({ allocated: 1, backordered: 0, expectedAt: null })]);
    expect(orderEvents.undecodable).toEqual([]);
    expect(inventoryEvents.undecodable).toEqual([]);
  }, 120_000);
});
