import type { OrderAnswer, OrderTimeline, TimelineEntry } from '../client/console-api.js';

export type { OrderAnswer, OrderTimeline, TimelineEntry };

/** An entry of order's `GET /orders/:orderId/events`. */
export interface OrderEventEntry {
  version: number;
  id: string;
  type: string;
  occurredAt: string;
  correlationId: string | null;
  causationId: string | null;
  data: Record<string, unknown>;
}

/** A notification as notification's `GET /customers/:customerId/notifications` lists it. */
export interface NotificationEntry {
  notificationId: string;
  kind: string;
  orderId: string;
  sku: string | null;
  channel: string;
  message: string;
  createdAt: string;
}


// Fields every entry of one order repeats, or ids only the services need: left out of the one-line summary.
const UNSHOWN = new Set(['orderId', 'customerId', 'inventoryEventId', 'eventId']);

function shown(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(shown).join('; ');
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.sku === 'string' && typeof o.quantity === 'number') return `${o.lineId === undefined ? '' : `${String(o.lineId)} `}${o.sku} × ${o.quantity}`;
    if (typeof o.lineId === 'string' && typeof o.quantity === 'number') return `${o.lineId} × ${o.quantity}`;
    return JSON.stringify(value);
  }
  return String(value);
}

/** An event's data in one line an operator reads at a glance: `lineId: o-1, quantity: 2, expectedAt: ...`. */
export function summarize(data: Record<string, unknown>, max = 300): string {
  const text = Object.entries(data)
    .filter(([key]) => !UNSHOWN.has(key))
    .map(([key, value]) => `${key}: ${shown(value)}`)
    .join(', ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The order's events and its customer's notifications about it, merged in time order. At the same instant an event
 * comes before the notification it caused; each source keeps its own order (both services answer oldest first).
 */
export function timelineOf(order: OrderAnswer, events: OrderEventEntry[], notifications: NotificationEntry[] | null, notificationsError: string | null = null): OrderTimeline {
  const fromEvents = events.map(
    (e): TimelineEntry => ({ at: e.occurredAt, source: 'order', what: e.type, detail: summarize(e.data), channel: null, ref: String(e.version) }),
  );
  const fromNotifications = (notifications ?? [])
    .filter((n) => n.orderId === order.orderId)
    .map((n): TimelineEntry => ({ at: n.createdAt, source: 'notification', what: n.kind, detail: n.message, channel: n.channel, ref: n.notificationId }));
  const entries: TimelineEntry[] = [];
  let i = 0;
  let j = 0;
  while (i < fromEvents.length || j < fromNotifications.length) {
    const event = fromEvents[i];
    const notification = fromNotifications[j];
    if (notification === undefined || (event !== undefined && Date.parse(event.at) <= Date.parse(notification.at))) {
      entries.push(event!);
      i++;
    } else {
      entries.push(notification);
      j++;
    }
  }
  return { order, entries, notificationsError };
}
