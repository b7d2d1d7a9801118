// The invariants of SPEC rule 8 ("nothing lost, nothing doubled") checked on what a run left behind, seen only from
// the public interface: the records of every topic, the HTTP views (GET /orders/:id, /skus/:sku,
// /customers/:id/notifications), the emails a mail server received, and what the load itself was told (which orders
// were accepted, how many units it put in). Pure: the same history gives the same verdict, so each check is tested by
// feeding it a hand-made history that breaks it (e2e/test/chaos-checker.unit.spec.ts).
//
// Every count is a number of violations (an order, a SKU, a line, a notification key, an email), never of units, and
// `problems` says what each one was.

// The shapes of a history and of the verdict are declared in checker.d.mts.

export const COUNT_NAMES = [
  'lost',
  'oversold',
  'fifo_breaks',
  'alloc_mismatch',
  'dup_notifications',
  'missing_notifications',
  'dup_emails',
  'dlq',
];

/**
 * Records of a topic in the order they happened per key (partition, then offset), each envelope once: a redelivered
 * envelope (same id) is the same event, which consumers de-duplicate.
 */
function eventsOf(records) {
  const seen = new Set();
  return [...(records ?? [])]
    .sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)))
    .flatMap(({ envelope }) => {
      if (seen.has(envelope.id)) return [];
      seen.add(envelope.id);
      return [envelope];
    });
}

const add = (map, key, by = 1) => map.set(key, (map.get(key) ?? 0) + by);

export function check(history) {
  const counts = Object.fromEntries(COUNT_NAMES.map((name) => [name, 0]));
  const problems = [];
  const fail = (name, problem) => {
    counts[name] += 1;
    problems.push(`${name}: ${problem}`);
  };

  const orderEvents = eventsOf(history.topics['order.events']);
  const inventoryEvents = eventsOf(history.topics['inventory.events']);
  const supplierEvents = eventsOf(history.topics['supplier.events']);
  const notificationEvents = eventsOf(history.topics['notification.events']);

  const placed = new Map(orderEvents.filter((e) => e.type === 'OrderPlaced').map((e) => [e.data.orderId, e.data]));
  checkOrdersKept(history, placed, fail);
  checkStock(history, inventoryEvents, supplierEvents, fail);
  checkFifo(history, inventoryEvents, fail);
  checkLines(history, placed, orderEvents, inventoryEvents, fail);
  const resentAfterSenderFault = checkNotifications(history, placed, orderEvents, inventoryEvents, notificationEvents, fail);
  for (const [topic, records] of Object.entries(history.deadLetters)) {
    for (let i = 0; i < records; i++) fail('dlq', `a dead letter on ${topic}`);
  }
  return { counts, problems, resentAfterSenderFault };
}

/** No accepted order lost: published as placed, with its lines, visible and answered by inventory. */
function checkOrdersKept(history, placed, fail) {
  for (const order of history.accepted) {
    const event = placed.get(order.orderId);
    const view = history.orders[order.orderId];
    if (event === undefined) fail('lost', `order ${order.orderId} was accepted but no OrderPlaced is on order.events`);
    else if (!sameLines(event.lines, order.lines)) fail('lost', `order ${order.orderId} was placed with other lines than accepted`);
    else if (!view) fail('lost', `order ${order.orderId} was accepted but GET /orders/${order.orderId} does not find it`);
    else if (view.status === 'pending') fail('lost', `order ${order.orderId} is still pending: inventory never answered every line`);
  }
}

const sameLines = (a, b) =>
  a.length === b.length && a.every((line, i) => line.sku === b[i].sku && line.quantity === b[i].quantity);

/**
 * Per SKU: units held for lines (reserved + allocated) + available = units received, in the SKU's view and in the
 * events, and every receipt counted once.
 */
function checkStock(history, inventoryEvents, supplierEvents, fail) {
  const heldFromEvents = new Map();
  const shippedFromEvents = new Map();
  for (const event of inventoryEvents) {
    const { sku, quantity } = event.data;
    if (event.type === 'StockReserved' || event.type === 'BackorderAllocated') add(heldFromEvents, sku, quantity);
    if (event.type === 'StockReleased' || event.type === 'StockShipped') add(heldFromEvents, sku, -quantity);
    if (event.type === 'StockShipped') add(shippedFromEvents, sku, quantity);
  }
  const receiptsPublished = new Map();
  const receiptCauses = new Map();
  for (const event of supplierEvents.filter((e) => e.type === 'RestockReceived')) {
    add(receiptsPublished, event.data.sku, event.data.quantity);
    if (event.causationid) add(receiptCauses, event.causationid);
  }
  const receiptsSent = new Map();
  const countedTwice = new Map();
  for (const receipt of history.receipts) {
    add(receiptsSent, receipt.sku, receipt.quantity);
    const times = receiptCauses.get(receipt.commandId) ?? 0;
    if (times > 1) countedTwice.set(receipt.sku, [...(countedTwice.get(receipt.sku) ?? []), `ReceiveRestock ${receipt.commandId} (${receipt.sku}) was received ${times} times`]);
  }

  for (const [sku, received] of Object.entries(history.received)) {
    const view = history.skus[sku];
    const held = heldFromEvents.get(sku) ?? 0;
    const published = receiptsPublished.get(sku) ?? 0;
    const sent = receiptsSent.get(sku) ?? 0;
    const shipped = shippedFromEvents.get(sku) ?? 0;
    const wrong = [...(countedTwice.get(sku) ?? [])];
    if (!view) wrong.push('GET /skus/:sku does not find the SKU');
    else if (view.onHand !== received - shipped || view.reserved + view.available !== view.onHand || view.reserved > view.onHand) {
      wrong.push(`received ${received} and shipped ${shipped}, but onHand ${view.onHand}, reserved ${view.reserved}, available ${view.available}`);
    }
    if (view && held !== view.reserved) wrong.push(`the events hold ${held} units for lines, the view ${view.reserved}`);
    if (published !== sent) wrong.push(`${sent} units were sent as ReceiveRestock, ${published} published as RestockReceived`);
    if (wrong.length > 0) fail('oversold', `${sku}: ${wrong.join('; ')}`);
  }
}

/**
 * FIFO replayed from inventory.events per SKU: only the head of the queue is served, never beyond what it waits for,
 * nothing is reserved while a line waits, and the queue left at the end is the one GET /skus/:sku shows.
 */
function checkFifo(history, inventoryEvents, fail) {
  const queues = new Map();
  const queueOf = (sku) => queues.get(sku) ?? queues.set(sku, []).get(sku);
  const lineKey = (data) => `${data.orderId}/${data.lineId}`;
  for (const event of inventoryEvents) {
    const { data } = event;
    switch (event.type) {
      case 'BackorderQueued': {
        const queue = queueOf(data.sku);
        const waiting = queue.find((line) => lineKey(line) === lineKey(data));
        if (waiting) waiting.quantity += data.quantity;
        else queue.push({ orderId: data.orderId, lineId: data.lineId, quantity: data.quantity });
        break;
      }
      case 'BackorderAllocated': {
        const queue = queueOf(data.sku);
        const index = queue.findIndex((line) => lineKey(line) === lineKey(data));
        if (index < 0) {
          fail('fifo_breaks', `${data.sku}: ${data.quantity} allocated to line ${lineKey(data)}, which was not waiting`);
          break;
        }
        if (index > 0) fail('fifo_breaks', `${data.sku}: line ${lineKey(data)} served while ${index} earlier line(s) waited`);
        const line = queue[index];
        line.quantity -= data.quantity;
        if (line.quantity < 0 || line.quantity !== data.remaining) {
          fail('fifo_breaks', `${data.sku}: line ${lineKey(data)} allocated ${data.quantity} leaving ${data.remaining}, but it waited for ${line.quantity + data.quantity}`);
        }
        if (line.quantity <= 0) queue.splice(index, 1);
        break;
      }
      case 'BackorderReleased': {
        const queue = queueOf(data.sku);
        const index = queue.findIndex((line) => lineKey(line) === lineKey(data));
        if (index < 0) break;
        queue[index].quantity -= data.quantity;
        if (queue[index].quantity <= 0) queue.splice(index, 1);
        break;
      }
      case 'StockReserved':
        if (queueOf(data.sku).length > 0) {
          fail('fifo_breaks', `${data.sku}: ${data.quantity} reserved for ${lineKey(data)} while ${queueOf(data.sku).length} line(s) waited`);
        }
        break;
      default:
    }
  }
  for (const [sku, view] of Object.entries(history.skus)) {
    if (!view) continue;
    const replayed = (queues.get(sku) ?? []).map((line) => `${lineKey(line)}x${line.quantity}`).join(' ');
    const shown = view.queue.map((line) => `${lineKey(line)}x${line.quantity}`).join(' ');
    if (replayed !== shown) fail('fifo_breaks', `${sku}: the events leave the queue [${replayed}], GET /skus shows [${shown}]`);
  }
}

/**
 * Each line's view (GET /orders/:id) is what inventory's events say happened to it. One allowance: units the customer
 * gave up (the order or the line cancelled) before inventory answered them show as released, not unavailable, when
 * inventory then answers them unavailable: the view may move at most the line's released units out of `unavailable`,
 * and only on a line order.events says was cancelled.
 */
function checkLines(history, placed, orderEvents, inventoryEvents, fail) {
  const givenUp = new Set();
  for (const event of orderEvents) {
    if (event.type === 'OrderCancelled') for (const line of placed.get(event.data.orderId)?.lines ?? []) givenUp.add(`${event.data.orderId}/${line.lineId}`);
    if (event.type === 'OrderLineCancelled') givenUp.add(`${event.data.orderId}/${event.data.lineId}`);
  }
  const perLine = new Map();
  const tally = (data) => {
    const key = `${data.orderId}/${data.lineId}`;
    return perLine.get(key) ?? perLine.set(key, { reserved: 0, queued: 0, allocated: 0, releasedWaiting: 0, releasedHeld: 0, unavailable: 0, shipped: 0 }).get(key);
  };
  const bucket = {
    StockReserved: 'reserved',
    BackorderQueued: 'queued',
    BackorderAllocated: 'allocated',
    BackorderReleased: 'releasedWaiting',
    StockReleased: 'releasedHeld',
    StockUnavailable: 'unavailable',
    StockShipped: 'shipped',
  };
  for (const event of inventoryEvents) {
    if (bucket[event.type]) tally(event.data)[bucket[event.type]] += event.data.quantity;
  }
  for (const [orderId, order] of placed) {
    const view = history.orders[orderId];
    if (!view) continue; // an accepted order without a view is lost; one the load never heard of is not ours to judge
    for (const line of order.lines) {
      const shown = view.lines.find((l) => l.lineId === line.lineId);
      const t = tally({ orderId, lineId: line.lineId });
      const where = `order ${orderId} line ${line.lineId} (${line.sku})`;
      if (!shown) {
        fail('alloc_mismatch', `${where} is missing from GET /orders/${orderId}`);
        continue;
      }
      const shownShipped = shown.shipped ?? 0;
      const held = t.reserved + t.allocated - t.releasedHeld - t.shipped;
      const mismatches = [];
      if (shown.reserved + shown.allocated + shown.backordered + shown.unavailable + shown.released + shownShipped !== shown.quantity) mismatches.push('its buckets do not add up to its quantity');
      if (shownShipped !== t.shipped) mismatches.push(`shipped ${shownShipped} vs ${t.shipped} in the events`);
      const cancelled = givenUp.has(`${orderId}/${line.lineId}`);
      const unavailableOk = cancelled
        ? shown.unavailable <= t.unavailable && t.unavailable - shown.unavailable <= shown.released
        : shown.unavailable === t.unavailable;
      if (!unavailableOk) {
        mismatches.push(`unavailable ${shown.unavailable} vs ${t.unavailable} in the events${cancelled ? ` (cancelled, ${shown.released} released)` : ''}`);
      }
      if (shown.backordered !== t.queued - t.allocated - t.releasedWaiting) mismatches.push(`backordered ${shown.backordered} vs ${t.queued - t.allocated - t.releasedWaiting}`);
      if (t.releasedHeld === 0 && t.shipped === 0) {
        if (shown.allocated !== t.allocated) mismatches.push(`allocated ${shown.allocated} vs ${t.allocated} in the events`);
        if (shown.reserved !== t.reserved) mismatches.push(`reserved ${shown.reserved} vs ${t.reserved} in the events`);
      } else if (shown.reserved + shown.allocated !== held || shown.allocated > t.allocated) {
        mismatches.push(`reserved ${shown.reserved} + allocated ${shown.allocated} vs ${held} held after the releases and shipments`);
      }
      if (mismatches.length > 0) fail('alloc_mismatch', `${where}: ${mismatches.join('; ')}`);
    }
  }
}

/**
 * Rule 7, counted from the events: what every customer must have been told, once per channel (in-app always, email
 * when the customer gave an address), against what notification.events, GET /customers/:id/notifications and the
 * mail server show. Returns how many emails were sent again after their sender failed (not duplicates: see below).
 */
function checkNotifications(history, placed, orderEvents, inventoryEvents, notificationEvents, fail) {
  const timeZone = history.timeZone ?? 'UTC';
  const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const sameDay = (a, b) => (a === null || b === null ? a === b : day.format(new Date(a)) === day.format(new Date(b)));

  const emailOf = new Map();
  for (const order of placed.values()) if (order.email) emailOf.set(order.customerId, order.email);
  const waited = new Set(inventoryEvents.filter((e) => e.type === 'BackorderQueued').map((e) => e.data.orderId));

  // customer -> "kind|orderId|sku" -> how many times
  const expected = new Map();
  const expect = (customerId, kind, orderId, sku) => {
    const perCustomer = expected.get(customerId) ?? expected.set(customerId, new Map()).get(customerId);
    add(perCustomer, changeKey(kind, orderId, sku));
  };

  const confirmed = new Set();
  const cancelled = new Set();
  for (const event of orderEvents) {
    const { orderId } = event.data;
    if (event.type === 'OrderStatusChanged' && event.data.status === 'confirmed' && !waited.has(orderId) && !confirmed.has(orderId)) {
      confirmed.add(orderId);
      expect(event.data.customerId, 'order-confirmed', orderId, null);
    }
    if (event.type === 'OrderCancelled' && !cancelled.has(orderId)) {
      cancelled.add(orderId);
      expect(event.data.customerId, 'order-cancelled', orderId, null);
    }
    // Each shipment is told; a line cancel is told unless the order was told cancelled before it.
    if (event.type === 'OrderShipped') expect(event.data.customerId, 'shipped', orderId, null);
    if (event.type === 'OrderLineCancelled' && !cancelled.has(orderId)) expect(event.data.customerId, 'line-cancelled', orderId, event.data.sku);
  }
  /** SKU -> customers told it is out of stock and not yet that it is back */
  const awaiting = new Map();
  for (const event of inventoryEvents) {
    const { data } = event;
    switch (event.type) {
      case 'BackorderQueued':
        expect(data.customerId, 'backordered', data.orderId, data.sku);
        break;
      case 'BackorderAllocated':
        expect(data.customerId, 'backorder-allocated', data.orderId, data.sku);
        break;
      case 'BackorderEtaChanged':
        // Customers are told a day: a move within the same day is nothing they could see.
        if (!sameDay(data.previousExpectedAt, data.expectedAt)) expect(data.customerId, 'backorder-eta-changed', data.orderId, data.sku);
        break;
      case 'StockUnavailable':
        expect(data.customerId, 'out-of-stock', data.orderId, data.sku);
        (awaiting.get(data.sku) ?? awaiting.set(data.sku, new Set()).get(data.sku)).add(data.customerId);
        break;
      case 'BackInStock':
        for (const customerId of awaiting.get(data.sku) ?? []) expect(customerId, 'back-in-stock', null, data.sku);
        awaiting.delete(data.sku);
        break;
      default:
    }
  }

  // What was told, per source: the envelopes on the topic (each id once, as a consumer counts), entries of the view.
  const told = { topic: new Map(), view: new Map() };
  const record = (source, customerId, n) => {
    const perCustomer = told[source].get(customerId) ?? told[source].set(customerId, new Map()).get(customerId);
    add(perCustomer, `${changeKey(n.kind, n.orderId, n.sku)}|${n.channel}`);
  };
  const emailNotifications = new Map();
  for (const event of notificationEvents.filter((e) => e.type === 'CustomerNotified')) {
    const n = event.data;
    if (n.channel === 'email') emailNotifications.set(n.notificationId, n);
    record('topic', n.customerId, n);
  }
  for (const [customerId, list] of Object.entries(history.notifications)) for (const n of list) record('view', customerId, n);

  const customers = new Set([...expected.keys(), ...told.topic.keys(), ...told.view.keys()]);
  for (const customerId of customers) {
    const channels = ['in-app', ...(emailOf.has(customerId) ? ['email'] : [])];
    const keys = new Set();
    for (const change of expected.get(customerId)?.keys() ?? []) for (const channel of channels) keys.add(`${change}|${channel}`);
    for (const source of ['topic', 'view']) for (const key of told[source].get(customerId)?.keys() ?? []) keys.add(key);
    for (const key of keys) {
      const [kind, orderId, sku, channel] = key.split('|');
      const want = channels.includes(channel) ? (expected.get(customerId)?.get(changeKey(kind, orderId, sku)) ?? 0) : 0;
      const onTopic = told.topic.get(customerId)?.get(key) ?? 0;
      const inView = told.view.get(customerId)?.get(key) ?? 0;
      const what = `${customerId}: ${kind} ${orderId || ''} ${sku || ''} on ${channel}`.replace(/ +/g, ' ');
      if (Math.max(onTopic, inView) > want) fail('dup_notifications', `${what} told ${Math.max(onTopic, inView)} times, ${want} expected (topic ${onTopic}, view ${inView})`);
      else if (Math.min(onTopic, inView) < want) fail('missing_notifications', `${what} told ${Math.min(onTopic, inView)} times, ${want} expected (topic ${onTopic}, view ${inView})`);
    }
  }

  // Emails: each email-channel notification received once, by the customer's address.
  const copies = new Map();
  const resent = { count: 0 };
  for (const email of history.emails) {
    const notification = email.notificationId ? emailNotifications.get(email.notificationId) : undefined;
    if (!notification) {
      fail('dup_emails', `an email (${email.kind ?? 'no kind'}) for no email notification on notification.events (${email.notificationId ?? 'no id'})`);
      continue;
    }
    add(copies, email.notificationId);
    const address = emailOf.get(notification.customerId);
    if (!email.to.includes(address)) fail('missing_notifications', `email ${email.notificationId} went to ${email.to.length} other address(es), not the customer's`);
  }
  const arrivals = new Map();
  for (const email of history.emails) {
    if (email.notificationId) arrivals.set(email.notificationId, [...(arrivals.get(email.notificationId) ?? []), email.receivedAt ?? 0]);
  }
  for (const [notificationId, n] of emailNotifications) {
    const received = copies.get(notificationId) ?? 0;
    if (received === 0) fail('missing_notifications', `email ${notificationId} (${n.kind} for ${n.customerId}) never received`);
    if (received < 2) continue;
    // SMTP is at least once: a sender that dies after the server took the message but before it recorded the send
    // sends it again (same Message-ID, which mail clients fold). Such a copy is counted apart; any other is a duplicate.
    const [first, ...again] = arrivals.get(notificationId).sort((a, b) => a - b);
    const senderFailed = (history.senderFaults ?? []).some((f) => f.at >= first - 200 && f.at <= first + 3_000 && again.every((at) => at > f.at));
    if (senderFailed) resent.count += again.length;
    else fail('dup_emails', `email ${notificationId} (${n.kind} for ${n.customerId}) received ${received} times`);
  }
  return resent.count;
}

/** A back-in-stock is about the SKU, not about which of the customer's orders named it. */
function changeKey(kind, orderId, sku) {
  return kind === 'back-in-stock' ? `${kind}||${sku ?? ''}` : `${kind}|${orderId ?? ''}|${sku ?? ''}`;
}

/** The run's last line. */
export function summaryLine({ orders, kills, brokerRestarts, counts, settleS }) {
  const fields = [`orders=${orders}`, `kills=${kills}`, `broker_restarts=${brokerRestarts}`, ...COUNT_NAMES.map((name) => `${name}=${counts[name]}`)];
  return `chaos: ${fields.join(' ')} settle_s=${settleS}`;
}
