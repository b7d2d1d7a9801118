// The chaos soak's checker (infra/chaos/checker.mjs) on hand-made histories: a consistent one passes with every count
// at zero, and each check fails on a history that breaks what it guards. Needs nothing running.
import { describe, expect, it } from '@jest/globals';
// infra/ holds scripts, not a project: the checker is plain JavaScript that `npm run chaos` runs with node.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { check, summaryLine, type Counts, type History, type TopicRecord } from '../../infra/chaos/checker.mjs';

const offsets = new Map<string, number>();
let ids = 0;
/** A record on a topic, at the next offset of its partition (one partition per topic keeps the story in order). */
function rec(topic: string, type: string, data: Record<string, unknown>, extra: { id?: string; causationid?: string } = {}): [string, TopicRecord] {
  const offset = offsets.get(topic) ?? 0;
  offsets.set(topic, offset + 1);
  return [topic, { partition: 0, offset: String(offset), envelope: { id: extra.id ?? `ev-${++ids}`, type, time: `2026-12-01T10:00:${String(offset % 60).padStart(2, '0')}.000Z`, causationid: extra.causationid ?? null, data } }];
}

const line = (orderId: string, n: number, sku: string, quantity: number, buckets: Partial<Record<'reserved' | 'allocated' | 'backordered' | 'unavailable' | 'released' | 'shipped', number>>) => ({
  lineId: `${orderId}-${n}`,
  sku,
  quantity,
  reserved: 0,
  allocated: 0,
  backordered: 0,
  unavailable: 0,
  released: 0,
  ...buckets,
});

const DAY1 = '2026-12-10T08:00:00.000Z';
const DAY2 = '2026-12-12T08:00:00.000Z';

/**
 * SKU MUG: 2 counted, then a receipt of 3. Ada (email) orders 2: reserved, confirmed. Bo (no email) orders 2: queued,
 * its date moves by two days, the receipt allocates both, 1 unit stays free. Cy (email) orders 1 LAMP, which has no
 * restock plan: out of stock; 1 LAMP counted later: back in stock. Di (email) orders 1 MUG while Bo waits, then
 * cancels: queued, released. Every view, notification and email agrees.
 */
function consistentHistory(): History {
  offsets.clear();
  const n = (customerId: string, kind: string, orderId: string | null, sku: string | null, channels: string[]) =>
    channels.map((channel) => ({ notificationId: `${customerId}-${kind}-${orderId}-${sku}-${channel}`, customerId, kind, orderId, sku, channel, message: 'm' }));
  const told = [
    ...n('ada', 'order-confirmed', 'o1', null, ['in-app', 'email']),
    ...n('bo', 'backordered', 'o2', 'MUG', ['in-app']),
    ...n('di', 'backordered', 'o4', 'MUG', ['in-app', 'email']),
    ...n('bo', 'backorder-eta-changed', 'o2', 'MUG', ['in-app']),
    ...n('di', 'order-cancelled', 'o4', null, ['in-app', 'email']),
    ...n('bo', 'backorder-allocated', 'o2', 'MUG', ['in-app']),
    ...n('cy', 'out-of-stock', 'o3', 'LAMP', ['in-app', 'email']),
    ...n('cy', 'back-in-stock', 'o3', 'LAMP', ['in-app', 'email']),
  ];
  const records: [string, TopicRecord][] = [
    rec('order.events', 'OrderPlaced', { orderId: 'o1', customerId: 'ada', email: 'ada@shop.example', lines: [{ lineId: 'o1-1', sku: 'MUG', quantity: 2 }] }),
    rec('inventory.events', 'StockReserved', { sku: 'MUG', orderId: 'o1', lineId: 'o1-1', customerId: 'ada', quantity: 2 }),
    rec('order.events', 'OrderStatusChanged', { orderId: 'o1', customerId: 'ada', status: 'confirmed', lines: [] }),
    rec('order.events', 'OrderPlaced', { orderId: 'o2', customerId: 'bo', lines: [{ lineId: 'o2-1', sku: 'MUG', quantity: 2 }] }),
    rec('inventory.events', 'BackorderQueued', { sku: 'MUG', orderId: 'o2', lineId: 'o2-1', customerId: 'bo', quantity: 2, position: 1, expectedAt: DAY1 }),
    rec('order.events', 'OrderStatusChanged', { orderId: 'o2', customerId: 'bo', status: 'backordered', lines: [] }),
    rec('order.events', 'OrderPlaced', { orderId: 'o4', customerId: 'di', email: 'di@shop.example', lines: [{ lineId: 'o4-1', sku: 'MUG', quantity: 1 }] }),
    rec('inventory.events', 'BackorderQueued', { sku: 'MUG', orderId: 'o4', lineId: 'o4-1', customerId: 'di', quantity: 1, position: 2, expectedAt: DAY1 }),
    rec('inventory.events', 'BackorderEtaChanged', { sku: 'MUG', orderId: 'o2', lineId: 'o2-1', customerId: 'bo', previousExpectedAt: DAY1, expectedAt: DAY2 }),
    // A move within the same day is nothing the customer could see: no notification.
    rec('inventory.events', 'BackorderEtaChanged', { sku: 'MUG', orderId: 'o4', lineId: 'o4-1', customerId: 'di', previousExpectedAt: DAY1, expectedAt: '2026-12-10T20:00:00.000Z' }),
    rec('order.events', 'OrderCancelled', { orderId: 'o4', customerId: 'di', reason: 'changed my mind' }),
    rec('inventory.events', 'BackorderReleased', { sku: 'MUG', orderId: 'o4', lineId: 'o4-1', customerId: 'di', quantity: 1, reason: 'order-cancelled' }),
    rec('supplier.events', 'RestockReceived', { purchaseOrderId: 'po1', sku: 'MUG', quantity: 3 }, { causationid: 'cmd-1' }),
    rec('inventory.events', 'BackorderAllocated', { sku: 'MUG', orderId: 'o2', lineId: 'o2-1', customerId: 'bo', quantity: 2, remaining: 0 }),
    rec('order.events', 'OrderStatusChanged', { orderId: 'o2', customerId: 'bo', status: 'confirmed', lines: [] }),
    rec('order.events', 'OrderPlaced', { orderId: 'o3', customerId: 'cy', email: 'cy@shop.example', lines: [{ lineId: 'o3-1', sku: 'LAMP', quantity: 1 }] }),
    rec('inventory.events', 'StockUnavailable', { sku: 'LAMP', orderId: 'o3', lineId: 'o3-1', customerId: 'cy', quantity: 1, substitutes: ['MUG'] }),
    rec('order.events', 'OrderStatusChanged', { orderId: 'o3', customerId: 'cy', status: 'rejected', lines: [] }),
    rec('inventory.events', 'BackInStock', { sku: 'LAMP', available: 1 }),
    ...told.map(({ message: _m, ...data }) => rec('notification.events', 'CustomerNotified', { ...data, message: 'm' })),
  ];
  const topics: Record<string, TopicRecord[]> = { 'order.events': [], 'inventory.events': [], 'supplier.events': [], 'notification.events': [] };
  for (const [topic, record] of records) topics[topic]!.push(record);
  const viewOf = (customerId: string) => told.filter((t) => t.customerId === customerId).map(({ customerId: _c, message: _m, ...view }) => view);
  return {
    accepted: [
      { orderId: 'o1', customerId: 'ada', lines: [{ sku: 'MUG', quantity: 2 }] },
      { orderId: 'o2', customerId: 'bo', lines: [{ sku: 'MUG', quantity: 2 }] },
      { orderId: 'o3', customerId: 'cy', lines: [{ sku: 'LAMP', quantity: 1 }] },
      { orderId: 'o4', customerId: 'di', lines: [{ sku: 'MUG', quantity: 1 }] },
    ],
    received: { MUG: 5, LAMP: 1 },
    receipts: [{ commandId: 'cmd-1', sku: 'MUG', quantity: 3 }],
    topics,
    deadLetters: {},
    orders: {
      o1: { orderId: 'o1', customerId: 'ada', status: 'confirmed', lines: [line('o1', 1, 'MUG', 2, { reserved: 2 })] },
      o2: { orderId: 'o2', customerId: 'bo', status: 'confirmed', lines: [line('o2', 1, 'MUG', 2, { allocated: 2 })] },
      o3: { orderId: 'o3', customerId: 'cy', status: 'rejected', lines: [line('o3', 1, 'LAMP', 1, { unavailable: 1 })] },
      o4: { orderId: 'o4', customerId: 'di', status: 'cancelled', lines: [line('o4', 1, 'MUG', 1, { released: 1 })] },
    },
    skus: {
      MUG: { sku: 'MUG', onHand: 5, reserved: 4, available: 1, backordered: 0, queue: [] },
      LAMP: { sku: 'LAMP', onHand: 1, reserved: 0, available: 1, backordered: 0, queue: [] },
    },
    notifications: { ada: viewOf('ada'), bo: viewOf('bo'), cy: viewOf('cy'), di: viewOf('di') },
    emails: told.filter((t) => t.channel === 'email').map((t) => ({ to: [`${t.customerId}@shop.example`], notificationId: t.notificationId, kind: t.kind })),
  };
}

const ZERO: Counts = { lost: 0, oversold: 0, fifo_breaks: 0, alloc_mismatch: 0, dup_notifications: 0, missing_notifications: 0, dup_emails: 0, dlq: 0 };

/** Checks a history broken by `breakIt` and returns the counts, with the problems for a failing expectation to show. */
function checkBroken(breakIt: (history: History) => void): Counts & { problems: string[] } {
  const history = consistentHistory();
  breakIt(history);
  const { counts, problems } = check(history);
  return { ...counts, problems };
}

const inventory = (history: History) => history.topics['inventory.events']!;
const ofType = (history: History, topic: string, type: string) => history.topics[topic]!.filter((r) => r.envelope.type === type);

describe('the chaos checker', () => {
  it('passes a consistent history with every count at zero', () => {
    const { counts, problems } = check(consistentHistory());
    expect(problems).toEqual([]);
    expect(counts).toEqual(ZERO);
  });

  it('treats a redelivered envelope (same id) as the same event', () => {
    const result = checkBroken((h) => {
      for (const topic of Object.keys(h.topics)) h.topics[topic]!.push(...h.topics[topic]!.map((r) => ({ ...r, offset: String(Number(r.offset) + 1000) })));
    });
    expect(result).toMatchObject(ZERO);
  });

  it('counts a doubled allocation: a second BackorderAllocated for units already given', () => {
    const result = checkBroken((h) => {
      const allocated = ofType(h, 'inventory.events', 'BackorderAllocated')[0]!;
      inventory(h).push({ ...allocated, offset: '999', envelope: { ...allocated.envelope, id: 'ev-again' } });
    });
    expect(result.fifo_breaks).toBe(1);
    expect(result.alloc_mismatch).toBe(1);
    expect(result.oversold).toBe(1);
    expect(result.problems).toContainEqual(expect.stringContaining('allocated to line o2/o2-1, which was not waiting'));
  });

  it('counts an oversold SKU: more held for lines than was received', () => {
    const result = checkBroken((h) => {
      h.skus.MUG = { ...h.skus.MUG!, onHand: 5, reserved: 6, available: 0 };
    });
    expect(result.oversold).toBe(1);
  });

  it('counts stock lost, and a receipt counted twice', () => {
    expect(checkBroken((h) => void (h.skus.MUG = { ...h.skus.MUG!, onHand: 4, available: 0 })).oversold).toBe(1);
    const twice = checkBroken((h) => {
      const receipt = ofType(h, 'supplier.events', 'RestockReceived')[0]!;
      h.topics['supplier.events']!.push({ ...receipt, offset: '99', envelope: { ...receipt.envelope, id: 'ev-receipt-again' } });
    });
    expect(twice.oversold).toBe(1);
    expect(twice.problems).toContainEqual(expect.stringContaining('ReceiveRestock cmd-1 (MUG) was received 2 times'));
  });

  it('counts a lost order: accepted, but never placed on order.events', () => {
    const result = checkBroken((h) => {
      h.accepted.push({ orderId: 'o9', customerId: 'ada', lines: [{ sku: 'MUG', quantity: 1 }] });
    });
    expect(result.lost).toBe(1);
  });

  it('counts an order that is placed but not visible, or never answered by inventory, as lost', () => {
    expect(checkBroken((h) => void (h.orders.o1 = null)).lost).toBe(1);
    expect(checkBroken((h) => void (h.orders.o1 = { ...h.orders.o1!, status: 'pending' })).lost).toBe(1);
  });

  it('counts a FIFO break: a later line served while an earlier one waits', () => {
    const result = checkBroken((h) => {
      // Di's line is queued after Bo's; serving Di first overtakes Bo.
      const queued = inventory(h).findIndex((r) => r.envelope.type === 'BackorderQueued' && r.envelope.data.orderId === 'o4');
      const overtaking = rec('inventory.events', 'BackorderAllocated', { sku: 'MUG', orderId: 'o4', lineId: 'o4-1', customerId: 'di', quantity: 1, remaining: 0 })[1];
      inventory(h).splice(queued + 1, 0, overtaking);
      inventory(h).forEach((r, i) => (r.offset = String(i)));
    });
    expect(result.fifo_breaks).toBe(1);
    expect(result.problems).toContainEqual(expect.stringContaining('line o4/o4-1 served while 1 earlier line(s) waited'));
  });

  it('counts a reservation made while a line waits', () => {
    const result = checkBroken((h) => {
      const queued = inventory(h).findIndex((r) => r.envelope.type === 'BackorderQueued');
      inventory(h).splice(queued + 1, 0, rec('inventory.events', 'StockReserved', { sku: 'MUG', orderId: 'o5', lineId: 'o5-1', customerId: 'ed', quantity: 1 })[1]);
      inventory(h).forEach((r, i) => (r.offset = String(i)));
    });
    expect(result.fifo_breaks).toBe(1);
    expect(result.problems).toContainEqual(expect.stringContaining('reserved for o5/o5-1 while 1 line(s) waited'));
  });

  it('counts a queue that the events and GET /skus/:sku disagree on', () => {
    const result = checkBroken((h) => void (h.skus.MUG = { ...h.skus.MUG!, queue: [{ orderId: 'o2', lineId: 'o2-1', quantity: 2 }] }));
    expect(result.fifo_breaks).toBe(1);
  });

  it("counts an allocation/view mismatch: the order view does not show the line's allocations", () => {
    const result = checkBroken((h) => {
      h.orders.o2 = { ...h.orders.o2!, lines: [line('o2', 1, 'MUG', 2, { allocated: 1, backordered: 1 })] };
    });
    expect(result.alloc_mismatch).toBe(1);
    expect(result.problems).toContainEqual(expect.stringContaining('order o2 line o2-1 (MUG): backordered 1 vs 0; allocated 1 vs 2 in the events'));
  });

  it('accepts units a cancelled line gave up before inventory answered them unavailable shown as released, and only then', () => {
    const releasedNotUnavailable = (h: History) => {
      h.orders.o3 = { ...h.orders.o3!, status: 'cancelled', lines: [line('o3', 1, 'LAMP', 1, { released: 1 })] };
    };
    const cancelledFirst = checkBroken((h) => {
      releasedNotUnavailable(h);
      const [, cancel] = rec('order.events', 'OrderCancelled', { orderId: 'o3', customerId: 'cy', reason: 'changed my mind' });
      h.topics['order.events']!.push(cancel);
    });
    expect(cancelledFirst.problems.filter((p) => p.startsWith('alloc_mismatch'))).toEqual([]);
    const neverCancelled = checkBroken(releasedNotUnavailable);
    expect(neverCancelled.alloc_mismatch).toBe(1);
    expect(neverCancelled.problems).toContainEqual(expect.stringContaining('order o3 line o3-1 (LAMP): unavailable 0 vs 1 in the events'));
  });

  /** Ada's 2 mugs ship: order.events says so, inventory ships them, the views and her notices follow. */
  const shipAda = (h: History, { stockShipped = true, told = true } = {}) => {
    h.topics['order.events']!.push(rec('order.events', 'OrderShipped', { orderId: 'o1', customerId: 'ada', shipmentId: 's1', lines: [{ lineId: 'o1-1', sku: 'MUG', quantity: 2 }], carrier: null, trackingId: null })[1]);
    if (stockShipped) inventory(h).push(rec('inventory.events', 'StockShipped', { sku: 'MUG', orderId: 'o1', lineId: 'o1-1', customerId: 'ada', quantity: 2 })[1]);
    h.orders.o1 = { ...h.orders.o1!, status: 'shipped', lines: [line('o1', 1, 'MUG', 2, { shipped: 2 })] };
    h.skus.MUG = { ...h.skus.MUG!, onHand: 3, reserved: 2, available: 1 };
    if (told) {
      for (const channel of ['in-app', 'email']) {
        const n = { notificationId: `ada-shipped-${channel}`, customerId: 'ada', kind: 'shipped', orderId: 'o1', sku: null, channel };
        h.topics['notification.events']!.push(rec('notification.events', 'CustomerNotified', { ...n, message: 'm' })[1]);
        h.notifications.ada!.push({ notificationId: n.notificationId, kind: n.kind, orderId: n.orderId, sku: n.sku, channel });
        if (channel === 'email') h.emails.push({ to: ['ada@shop.example'], notificationId: n.notificationId, kind: 'shipped' });
      }
    }
  };

  it('passes a history with a shipment: shipped units leave the SKU and the line, and the customer is told once', () => {
    const result = checkBroken((h) => shipAda(h));
    expect(result.problems).toEqual([]);
  });

  it('counts a shipment inventory never recorded, and one the customer was not told of', () => {
    const unshipped = checkBroken((h) => shipAda(h, { stockShipped: false }));
    expect(unshipped.alloc_mismatch).toBe(1);
    expect(unshipped.oversold).toBe(1);
    expect(unshipped.problems).toContainEqual(expect.stringContaining('order o1 line o1-1 (MUG): shipped 2 vs 0 in the events'));
    expect(unshipped.problems).toContainEqual(expect.stringContaining('MUG: received 5 and shipped 0, but onHand 3'));
    const untold = checkBroken((h) => shipAda(h, { told: false }));
    expect(untold.missing_notifications).toBe(2);
    expect(untold.problems).toContainEqual(expect.stringContaining('ada: shipped o1 on email told 0 times, 1 expected'));
  });

  it('expects a line cancel to be told, unless the order was told cancelled before it', () => {
    const lineCancel = () => rec('order.events', 'OrderLineCancelled', { orderId: 'o4', customerId: 'di', lineId: 'o4-1', sku: 'MUG', quantity: 1, reason: 'r' })[1];
    const before = checkBroken((h) => {
      // At the cancellation's offset, the cancellation and what follows it one further on.
      const events = h.topics['order.events']!;
      const cancelAt = Number(events.find((r) => r.envelope.type === 'OrderCancelled')!.offset);
      for (const r of events) if (Number(r.offset) >= cancelAt) r.offset = String(Number(r.offset) + 1);
      events.push({ ...lineCancel(), offset: String(cancelAt) });
    });
    expect(before.missing_notifications).toBe(2);
    expect(before.problems).toContainEqual(expect.stringContaining('di: line-cancelled o4 MUG on in-app told 0 times, 1 expected'));
    const after = checkBroken((h) => {
      h.topics['order.events']!.push(lineCancel());
    });
    expect(after.missing_notifications).toBe(0);
  });

  it('counts a duplicate notification: the same change told twice on a channel', () => {
    const result = checkBroken((h) => {
      const told = ofType(h, 'notification.events', 'CustomerNotified').find((r) => r.envelope.data.kind === 'backorder-allocated')!;
      h.topics['notification.events']!.push({ ...told, offset: '500', envelope: { ...told.envelope, id: 'ev-told-again', data: { ...told.envelope.data, notificationId: 'n-again' } } });
    });
    expect(result.dup_notifications).toBe(1);
    expect(result.missing_notifications).toBe(0);
  });

  it('counts a duplicate in the HTTP view too, and a notification for a change that did not happen', () => {
    expect(checkBroken((h) => void h.notifications.bo!.push({ ...h.notifications.bo![0]! })).dup_notifications).toBe(1);
    const confirmedAfterWaiting = checkBroken((h) => {
      // Bo waited: once the backorder is filled Bo is told backorder-allocated, never order-confirmed.
      for (const source of [h.notifications.bo!]) source.push({ notificationId: 'n-x', kind: 'order-confirmed', orderId: 'o2', sku: null, channel: 'in-app' });
      h.topics['notification.events']!.push(rec('notification.events', 'CustomerNotified', { notificationId: 'n-x', customerId: 'bo', kind: 'order-confirmed', orderId: 'o2', sku: null, channel: 'in-app', message: 'm' })[1]);
    });
    expect(confirmedAfterWaiting.dup_notifications).toBe(1);
  });

  it('counts a missing notification: a change told on one channel but not the other', () => {
    const result = checkBroken((h) => {
      const email = (r: TopicRecord) => r.envelope.type === 'CustomerNotified' && r.envelope.data.kind === 'out-of-stock' && r.envelope.data.channel === 'email';
      const dropped = h.topics['notification.events']!.find(email)!;
      h.topics['notification.events'] = h.topics['notification.events']!.filter((r) => !email(r));
      h.notifications.cy = h.notifications.cy!.filter((n) => n.notificationId !== dropped.envelope.data.notificationId);
      h.emails = h.emails.filter((e) => e.notificationId !== dropped.envelope.data.notificationId);
    });
    expect(result.missing_notifications).toBe(1);
    expect(result.dup_notifications).toBe(0);
  });

  it('counts a missing back-in-stock, and a missing email', () => {
    const noBackInStock = checkBroken((h) => {
      h.topics['notification.events'] = h.topics['notification.events']!.filter((r) => r.envelope.data.kind !== 'back-in-stock');
      h.notifications.cy = h.notifications.cy!.filter((n) => n.kind !== 'back-in-stock');
      h.emails = h.emails.filter((e) => e.kind !== 'back-in-stock');
    });
    expect(noBackInStock.missing_notifications).toBe(2); // in-app and email
    expect(checkBroken((h) => void h.emails.pop()).missing_notifications).toBe(1);
  });

  it('counts a duplicate email: the same notification received twice', () => {
    const result = checkBroken((h) => void h.emails.push({ ...h.emails[0]! }));
    expect(result.dup_emails).toBe(1);
    expect(result.missing_notifications).toBe(0);
  });

  it('counts a copy sent again because its sender died right after the server took the first apart, not as a duplicate', () => {
    const resentAt = (faultAfterFirstMs: number) => {
      const history = consistentHistory();
      history.emails[0] = { ...history.emails[0]!, receivedAt: 1_000_000 };
      history.emails.push({ ...history.emails[0]!, receivedAt: 1_012_000 });
      history.senderFaults = [{ at: 1_000_000 + faultAfterFirstMs, what: 'SIGKILL notification-1' }];
      return check(history);
    };
    expect(resentAt(40)).toMatchObject({ counts: ZERO, resentAfterSenderFault: 1 });
    // A sender that failed long after the first copy, or before it, does not explain a second one.
    expect(resentAt(30_000)).toMatchObject({ counts: { dup_emails: 1 }, resentAfterSenderFault: 0 });
    expect(resentAt(-5_000)).toMatchObject({ counts: { dup_emails: 1 }, resentAfterSenderFault: 0 });
  });

  it('counts every dead letter', () => {
    expect(checkBroken((h) => void (h.deadLetters = { 'order.events.dlq': 2, 'inventory.events.dlq': 1 })).dlq).toBe(3);
  });

  it('prints the issue\'s last line', () => {
    expect(summaryLine({ orders: 2000, kills: 20, brokerRestarts: 2, counts: ZERO, settleS: '12.5' })).toBe(
      'chaos: orders=2000 kills=20 broker_restarts=2 lost=0 oversold=0 fifo_breaks=0 alloc_mismatch=0 dup_notifications=0 missing_notifications=0 dup_emails=0 dlq=0 settle_s=12.5',
    );
  });
});
