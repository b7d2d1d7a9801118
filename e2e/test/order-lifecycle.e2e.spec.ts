// The order after the backorder, end to end (SPEC 9): the four services as processes on a real broker and databases.
//
// MUG: 3 on hand and a purchase order of 4. KETTLE: 1 on hand. LAMP: not backorderable, LAMP-XL (2 on hand) as its
// substitute. CHAIR: a supplier lead time of 30 days and a purchase order of 1 due in 10. Ada orders 4 mugs and a kettle, shipped as available: 3 mugs and the kettle are ready, one mug waits.
// Bob orders 3 mugs, shipped when complete: all wait behind Ada. Ada's first parcel leaves with the kettle and 2 mugs
// (a split shipment); Bob cancels one of his mugs (a partial line cancel, taken from the waiting units). The 4 mugs
// arrive: Ada's last one, then Bob's 2, in queue order; Bob's order is ready once, complete. Dan waits for the chair
// on the purchase order, Erin behind him on the lead time; Dan cancels his line and Erin's promised date moves up to
// the purchase order's (rule 4), which she is told. Both ship and are
// shipped. Carol's lamp is out of stock; she takes LAMP-XL instead, which is set aside at once and ships. Each
// customer is told every change once per channel, in order; every unit received is reserved, allocated, shipped or
// available at the end.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { TOPICS, type AnyEnvelope } from '@fulfillment/contracts';
import { eventually, notificationKinds, startSystem, type NotificationView, type RunningSystem, type ServiceKey, type TopicRecorder } from '@fulfillment/testing';

interface LineView {
  lineId: string;
  sku: string;
  quantity: number;
  reserved: number;
  allocated: number;
  backordered: number;
  unavailable: number;
  released: number;
  shipped: number;
  expectedAt: string | null;
}
interface OrderView {
  orderId: string;
  status: string;
  lines: LineView[];
}
interface SkuView {
  onHand: number;
  reserved: number;
  available: number;
  backordered: number;
  queue: { orderId: string; quantity: number }[];
}

const DAY = 24 * 60 * 60 * 1000;
const run = randomUUID().slice(0, 8);
const MUG = `MUG-${run}`;
const KETTLE = `KETTLE-${run}`;
const LAMP = `LAMP-${run}`;
const LAMP_XL = `LAMP-XL-${run}`;
const CHAIR = `CHAIR-${run}`;
const [ADA, BOB, CAROL, DAN, ERIN] = ['ada', 'bob', 'carol', 'dan', 'erin'].map((name) => `${name}-${run}`) as [string, string, string, string, string];
/** Units each SKU received over the story: the stock counted in and the purchase order's receipt. */
const RECEIVED: Record<string, number> = { [MUG]: 3 + 4, [KETTLE]: 1, [LAMP]: 0, [LAMP_XL]: 2, [CHAIR]: 0 };

describe('an order from placement to the last parcel, end to end', () => {
  let system: RunningSystem;
  let orderEvents: TopicRecorder;
  let inventoryEvents: TopicRecorder;
  const orders: Record<string, string> = {};
  let purchaseOrderId: string;

  const call = async <T>(service: ServiceKey, method: string, path: string, body?: unknown, expected?: number): Promise<T> => {
    const answer = await system.http<T>(service, method, path, body === undefined ? {} : { body });
    if (answer.status >= 400 || (expected !== undefined && answer.status !== expected)) {
      throw new Error(`${method} ${service}${path} -> ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    return answer.body;
  };
  const order = (orderId: string) => call<OrderView>('order', 'GET', `/orders/${orderId}`);
  const sku = (id: string) => call<SkuView>('inventory', 'GET', `/skus/${id}`);
  const waitForOrder = (orderId: string, accept: (view: OrderView) => boolean, what: string) =>
    eventually(async () => {
      const view = await order(orderId);
      return accept(view) ? view : undefined;
    }, { timeoutMs: 60_000, what: `${what} (order ${orderId})` });
  const notificationsOf = async (customerId: string) => {
    const answer = await system.http<NotificationView[]>('notification', 'GET', `/customers/${customerId}/notifications`);
    return answer.status === 200 ? answer.body : [];
  };
  const inApp = async (customerId: string) => (await notificationsOf(customerId)).filter((n) => n.channel === 'in-app');
  const waitKinds = (customerId: string, count: number) =>
    eventually(async () => {
      const kinds = (await inApp(customerId)).map((n) => n.kind);
      return kinds.length >= count ? kinds : undefined;
    }, { timeoutMs: 60_000, what: `${count} notifications for ${customerId}` });
  const published = (recorder: TopicRecorder, type: string, orderId: string) =>
    recorder.envelopes.filter((e) => e.type === type && (e.data as { orderId?: string }).orderId === orderId) as AnyEnvelope[];
  /** Units of the order OrderReadyToShip announced so far, per line: [lineId, sku, quantity], in line order. */
  const announced = (orderId: string) => {
    const units = new Map<string, [string, string, number]>();
    for (const ready of published(orderEvents, 'OrderReadyToShip', orderId)) {
      for (const { lineId, sku: id, quantity } of (ready.data as { lines: { lineId: string; sku: string; quantity: number }[] }).lines) {
        units.set(lineId, [lineId, id, (units.get(lineId)?.[2] ?? 0) + quantity]);
      }
    }
    return [...units.values()].sort(([a], [b]) => a.localeCompare(b));
  };
  const ship = (orderId: string, shipmentId: string, lines: { lineId: string; quantity: number }[], carrier?: string, trackingId?: string) =>
    call<{ shipmentId: string; lines: unknown[] }>('order', 'POST', `/orders/${orderId}/shipments`, { shipmentId, lines, carrier, trackingId }, 201);

  beforeAll(async () => {
    system = await startSystem();
    [orderEvents, inventoryEvents] = await Promise.all([system.record(TOPICS.orderEvents), system.record(TOPICS.inventoryEvents)]);
  }, 240_000);

  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  it('stocks the mugs, the kettle and the large lamp, and orders 4 more mugs from the supplier', async () => {
    for (const id of [MUG, KETTLE, LAMP_XL]) await call('inventory', 'PUT', `/skus/${id}`, { backorderable: true });
    await call('inventory', 'PUT', `/skus/${LAMP}`, { backorderable: false, substitutes: [LAMP_XL] });
    await call('inventory', 'POST', `/skus/${MUG}/adjustments`, { delta: 3, reason: 'initial count' });
    await call('inventory', 'POST', `/skus/${KETTLE}/adjustments`, { delta: 1, reason: 'initial count' });
    await call('inventory', 'POST', `/skus/${LAMP_XL}/adjustments`, { delta: 2, reason: 'initial count' });
    const po = await call<{ purchaseOrderId: string }>('supplier', 'POST', '/purchase-orders', {
      sku: MUG,
      quantity: 4,
      expectedAt: new Date(Date.now() + 10 * DAY).toISOString(),
    });
    purchaseOrderId = po.purchaseOrderId;
    await eventually(async () => ((await call<{ incoming: unknown[] }>('inventory', 'GET', `/skus/${MUG}`)).incoming.length === 1 ? true : undefined), {
      what: 'the purchase order counted as incoming',
    });
    expect(await sku(MUG)).toMatchObject({ onHand: 3, available: 3 });
  }, 60_000);

  it('ships what Ada can have as it becomes available, and waits for all of Bob’s order', async () => {
    orders[ADA] = (
      await call<{ orderId: string }>('order', 'POST', '/orders', {
        customerId: ADA,
        email: `${ADA}@shop.example`,
        lines: [
          { sku: MUG, quantity: 4 },
          { sku: KETTLE, quantity: 1 },
        ],
      })
    ).orderId;
    const ada = await waitForOrder(orders[ADA], (o) => o.status !== 'pending', "inventory's answer to Ada");
    expect(ada).toMatchObject({ status: 'backordered', lines: [{ reserved: 3, backordered: 1 }, { reserved: 1 }] });
    // Each SKU answers on its own, so the mugs and the kettle may be announced together or one after the other.
    expect(await eventually(() => (announced(orders[ADA]).length === 2 ? announced(orders[ADA]) : undefined), { what: "Ada's shippable units announced" })).toEqual([
      [`${orders[ADA]}-1`, MUG, 3],
      [`${orders[ADA]}-2`, KETTLE, 1],
    ]);

    orders[BOB] = (
      await call<{ orderId: string }>('order', 'POST', '/orders', {
        customerId: BOB,
        email: `${BOB}@shop.example`,
        lines: [{ sku: MUG, quantity: 3 }],
        shipping: 'when-complete',
      })
    ).orderId;
    expect(await waitForOrder(orders[BOB], (o) => o.status !== 'pending', "inventory's answer to Bob")).toMatchObject({
      status: 'backordered',
      lines: [{ backordered: 3 }],
    });
    expect((await sku(MUG)).queue.map((line) => [line.orderId, line.quantity])).toEqual([
      [orders[ADA], 1],
      [orders[BOB], 3],
    ]);
    expect(published(orderEvents, 'OrderReadyToShip', orders[BOB])).toEqual([]);
  }, 120_000);

  it('sends Ada’s first parcel, the kettle and 2 mugs: partially shipped, and inventory ships them', async () => {
    const shipment = await ship(orders[ADA], `shp-${run}-ada-1`, [
      { lineId: `${orders[ADA]}-2`, quantity: 1 },
      { lineId: `${orders[ADA]}-1`, quantity: 2 },
    ], 'DHL', `JD-${run}`);
    expect(shipment.lines).toHaveLength(2);
    // A retry of the same shipment (the warehouse did not see the answer) changes nothing.
    await ship(orders[ADA], `shp-${run}-ada-1`, [{ lineId: `${orders[ADA]}-1`, quantity: 2 }]);
    expect(await waitForOrder(orders[ADA], (o) => o.status === 'partially-shipped', 'Ada partially shipped')).toMatchObject({
      lines: [{ reserved: 1, backordered: 1, shipped: 2 }, { reserved: 0, shipped: 1 }],
    });
    await inventoryEvents.waitFor((all) => all.filter((e) => e.type === 'StockShipped' && (e.data as { orderId: string }).orderId === orders[ADA]), 2);
    expect(await sku(MUG)).toMatchObject({ onHand: 1, reserved: 1, available: 0 });
    expect(await sku(KETTLE)).toMatchObject({ onHand: 0, reserved: 0 });
    const shippedNotice = await eventually(async () => (await inApp(ADA)).find((n) => n.kind === 'shipped'), { timeoutMs: 60_000, what: "Ada's shipped notice" });
    expect(shippedNotice.message).toContain('DHL');
    expect(shippedNotice.message).toContain(`JD-${run}`);
  }, 90_000);

  it('cancels one of Bob’s three mugs, taken from the waiting ones', async () => {
    const answer = await call<{ quantity: number; line: LineView }>('order', 'POST', `/orders/${orders[BOB]}/lines/${orders[BOB]}-1/cancel`, { quantity: 1, reason: 'two are enough' }, 202);
    expect(answer).toMatchObject({ quantity: 1, line: { backordered: 2, released: 1 } });
    const [released] = await inventoryEvents.waitFor((all) => all.filter((e) => e.type === 'BackorderReleased' && (e.data as { orderId: string }).orderId === orders[BOB]));
    expect(released!.data).toMatchObject({ quantity: 1, reason: 'line-cancelled' });
    await eventually(async () => ((await sku(MUG)).queue.find((line) => line.orderId === orders[BOB])?.quantity === 2 ? true : undefined), {
      what: "Bob's queued line down to 2",
    });
  }, 90_000);

  it('moves the promised date of the line behind a cancelled one, and tells its customer', async () => {
    await call('inventory', 'PUT', `/skus/${CHAIR}`, { backorderable: true, leadTimeDays: 30 });
    const soon = new Date(Date.now() + 10 * DAY).toISOString();
    const po = await call<{ expectedAt: string }>('supplier', 'POST', '/purchase-orders', { sku: CHAIR, quantity: 1, expectedAt: soon });
    await eventually(async () => ((await call<{ incoming: unknown[] }>('inventory', 'GET', `/skus/${CHAIR}`)).incoming.length === 1 ? true : undefined), {
      what: "the chair's purchase order counted as incoming",
    });
    for (const customerId of [DAN, ERIN]) {
      orders[customerId] = (
        await call<{ orderId: string }>('order', 'POST', '/orders', { customerId, email: `${customerId}@shop.example`, lines: [{ sku: CHAIR, quantity: 1 }] })
      ).orderId;
      await waitForOrder(orders[customerId], (o) => o.status === 'backordered', `${customerId} backordered`);
    }
    const [dan, erin] = await Promise.all([order(orders[DAN]), order(orders[ERIN])]);
    expect(dan.lines[0]!.expectedAt).toBe(po.expectedAt);
    // Erin waits on the lead time, which is later than the purchase order (days start at midnight UTC).
    expect(Date.parse(erin.lines[0]!.expectedAt!)).toBeGreaterThan(Date.parse(po.expectedAt) + 15 * DAY);

    await call('order', 'POST', `/orders/${orders[DAN]}/lines/${orders[DAN]}-1/cancel`, undefined, 202);
    const moved = await waitForOrder(orders[ERIN], (o) => o.lines[0]!.expectedAt === po.expectedAt, "Erin's date moved up");
    expect(moved).toMatchObject({ status: 'backordered', lines: [{ backordered: 1 }] });
    expect(await waitForOrder(orders[DAN], (o) => o.status === 'cancelled', 'Dan cancelled')).toMatchObject({ lines: [{ released: 1, backordered: 0 }] });
    const [changed] = await inventoryEvents.waitFor((all) => all.filter((e) => e.type === 'BackorderEtaChanged' && (e.data as { orderId: string }).orderId === orders[ERIN]));
    expect(changed!.data).toMatchObject({ previousExpectedAt: erin.lines[0]!.expectedAt, expectedAt: po.expectedAt });
  }, 120_000);

  it('serves the queue in order when the 4 mugs arrive: Ada’s last one, then Bob’s 2, and Bob is ready once', async () => {
    await call('supplier', 'POST', `/purchase-orders/${purchaseOrderId}/receipts`, { quantity: 4 });
    const allocated = await inventoryEvents.waitFor((all) => all.filter((e) => e.type === 'BackorderAllocated' && e.subject === MUG), 2);
    expect(allocated.map((e) => [(e.data as { orderId: string }).orderId, (e.data as { quantity: number }).quantity])).toEqual([
      [orders[ADA], 1],
      [orders[BOB], 2],
    ]);
    expect(await waitForOrder(orders[BOB], (o) => o.status === 'confirmed', 'Bob confirmed')).toMatchObject({
      lines: [{ quantity: 3, allocated: 2, released: 1, backordered: 0 }],
    });
    const [bobReady] = await eventually(() => (published(orderEvents, 'OrderReadyToShip', orders[BOB]).length ? published(orderEvents, 'OrderReadyToShip', orders[BOB]) : undefined), {
      what: "Bob's OrderReadyToShip",
    });
    expect(bobReady!.data).toMatchObject({ lines: [{ lineId: `${orders[BOB]}-1`, quantity: 2 }] });
    // Ada's last mug is announced on its own: the units announced before are not announced again.
    expect(await eventually(() => (announced(orders[ADA])[0]?.[2] === 4 ? announced(orders[ADA]) : undefined), { what: "Ada's last mug announced" })).toEqual([
      [`${orders[ADA]}-1`, MUG, 4],
      [`${orders[ADA]}-2`, KETTLE, 1],
    ]);
    expect(await sku(MUG)).toMatchObject({ onHand: 5, reserved: 4, available: 1, backordered: 0, queue: [] });
  }, 90_000);

  it('ships the rest of Ada’s order and all of Bob’s: both shipped', async () => {
    await ship(orders[ADA], `shp-${run}-ada-2`, [{ lineId: `${orders[ADA]}-1`, quantity: 2 }], 'DHL');
    await ship(orders[BOB], `shp-${run}-bob-1`, [{ lineId: `${orders[BOB]}-1`, quantity: 2 }]);
    expect(await waitForOrder(orders[ADA], (o) => o.status === 'shipped', 'Ada shipped')).toMatchObject({
      lines: [{ quantity: 4, shipped: 4, reserved: 0, allocated: 0 }, { quantity: 1, shipped: 1 }],
    });
    expect(await waitForOrder(orders[BOB], (o) => o.status === 'shipped', 'Bob shipped')).toMatchObject({
      lines: [{ quantity: 3, shipped: 2, released: 1 }],
    });
    await eventually(async () => ((await sku(MUG)).reserved === 0 ? true : undefined), { what: 'every mug shipped by inventory' });
    expect(await sku(MUG)).toMatchObject({ onHand: 1, reserved: 0, available: 1 });
  }, 90_000);

  it('lets Carol take the large lamp instead of the lamp that is out of stock; it is set aside at once and ships', async () => {
    orders[CAROL] = (
      await call<{ orderId: string }>('order', 'POST', '/orders', { customerId: CAROL, email: `${CAROL}@shop.example`, lines: [{ sku: LAMP, quantity: 1 }] })
    ).orderId;
    expect(await waitForOrder(orders[CAROL], (o) => o.status === 'rejected', 'Carol rejected')).toMatchObject({ lines: [{ unavailable: 1 }] });
    const outOfStock = await eventually(async () => (await inApp(CAROL)).find((n) => n.kind === 'out-of-stock'), { timeoutMs: 60_000, what: "Carol's out-of-stock" });
    expect(outOfStock.message).toContain(LAMP_XL);

    const substituted = await call<{ newLineId: string }>('order', 'POST', `/orders/${orders[CAROL]}/lines/${orders[CAROL]}-1/substitute`, { sku: LAMP_XL }, 202);
    expect(substituted.newLineId).toBe(`${orders[CAROL]}-2`);
    const carol = await waitForOrder(orders[CAROL], (o) => o.status === 'confirmed', 'Carol confirmed with the substitute');
    expect(carol.lines).toEqual([
      expect.objectContaining({ sku: LAMP, quantity: 1, unavailable: 0, released: 1 }),
      expect.objectContaining({ lineId: `${orders[CAROL]}-2`, sku: LAMP_XL, quantity: 1, reserved: 1 }),
    ]);
    await ship(orders[CAROL], `shp-${run}-carol-1`, [{ lineId: `${orders[CAROL]}-2`, quantity: 1 }], 'UPS', `1Z-${run}`);
    await waitForOrder(orders[CAROL], (o) => o.status === 'shipped', 'Carol shipped');
    await eventually(async () => ((await sku(LAMP_XL)).onHand === 1 ? true : undefined), { what: 'the large lamp shipped by inventory' });
  }, 120_000);

  it('told each customer every change once per channel, in order', async () => {
    const expected: Record<string, string[]> = {
      [ADA]: ['backordered', 'shipped', 'backorder-allocated', 'shipped'],
      [BOB]: ['backordered', 'line-cancelled', 'backorder-allocated', 'shipped'],
      [CAROL]: ['out-of-stock', 'substitute-accepted', 'shipped'],
      [DAN]: ['backordered', 'line-cancelled'],
      [ERIN]: ['backordered', 'backorder-eta-changed'],
    };
    for (const [customerId, kinds] of Object.entries(expected)) await waitKinds(customerId, kinds.length);
    // Let redeliveries or late duplicates show up if there were any.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    for (const [customerId, kinds] of Object.entries(expected)) {
      const list = await notificationsOf(customerId);
      expect(notificationKinds(list)).toEqual(kinds);
      expect(notificationKinds(list, 'email')).toEqual(kinds);
      expect(new Set(list.map((n) => n.notificationId)).size).toBe(list.length);
    }
    const accepted = (await inApp(CAROL)).find((n) => n.kind === 'substitute-accepted')!;
    expect(accepted.message).toContain('set aside');
  }, 120_000);

  it('accounts for every unit received: reserved + allocated + shipped + available, in both services', async () => {
    const views = await Promise.all(Object.values(orders).map(order));
    for (const [id, received] of Object.entries(RECEIVED)) {
      const lines = views.flatMap((view) => view.lines).filter((line) => line.sku === id);
      const held = lines.reduce((sum, line) => sum + line.reserved + line.allocated, 0);
      const shipped = lines.reduce((sum, line) => sum + line.shipped, 0);
      const stock = await sku(id);
      expect({ sku: id, held: stock.reserved, accounted: held + shipped + stock.available }).toEqual({ sku: id, held, accounted: received });
      const stockShipped = inventoryEvents.envelopes
        .filter((e) => e.type === 'StockShipped' && e.subject === id)
        .reduce((sum, e) => sum + (e.data as { quantity: number }).quantity, 0);
      expect(stockShipped).toBe(shipped);
      expect(stock.onHand).toBe(received - shipped);
    }
    for (const view of views) {
      for (const line of view.lines) {
        expect(line.reserved + line.allocated + line.backordered + line.unavailable + line.released + line.shipped).toBe(line.quantity);
      }
    }
    // Bob's order, shipped when complete, was announced once; Ada's as its units came (see above).
    expect(published(orderEvents, 'OrderReadyToShip', orders[BOB])).toHaveLength(1);
    expect(orderEvents.undecodable).toEqual([]);
    expect(inventoryEvents.undecodable).toEqual([]);
  }, 60_000);
});
