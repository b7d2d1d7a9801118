import { api } from '../api.js';
import { h, link, table } from '../dom.js';
import { exactly, when } from '../format.js';
import type { OrderTimeline } from '../console-api.js';
import type { PageContext } from '../page.js';

type Timeline = OrderTimeline;

const LINE_COLUMNS = ['quantity', 'reserved', 'allocated', 'backordered', 'unavailable', 'released', 'shipped'] as const;

/** One order: its lines as they stand, and its timeline (its events and what its customer was told). */
export async function orderPage([orderId]: string[], _page: PageContext): Promise<Node> {
  const { order, entries, notificationsError } = await api<Timeline>('GET', `/api/orders/${encodeURIComponent(orderId ?? '')}/timeline`);
  const lines = order.lines.map((line) =>
    h(
      'tr',
      { 'data-line': String(line.lineId) },
      h('td', {}, String(line.lineId)),
      h('td', {}, link(`/skus/${encodeURIComponent(String(line.sku))}`, String(line.sku))),
      ...LINE_COLUMNS.map((c) => h('td', { class: 'num' }, line[c] === undefined ? '—' : String(line[c]))),
      h('td', {}, when(typeof line.expectedAt === 'string' ? line.expectedAt : null)),
    ),
  );
  const timeline = entries.map((e) =>
    h(
      'tr',
      { class: e.source, 'data-what': e.what },
      h('td', {}, exactly(e.at)),
      h('td', {}, e.source === 'order' ? `order event #${e.ref}` : `told by ${e.channel ?? 'notification'}`),
      h('td', {}, h('strong', {}, e.what)),
      h('td', {}, e.detail),
    ),
  );
  return h(
    'section',
    { id: 'order' },
    h('h2', {}, 'Order ', h('code', { id: 'order-id' }, order.orderId)),
    h('p', { class: 'summary' }, 'Status ', h('strong', { id: 'order-status' }, order.status), ` · customer ${order.customerId}`),
    table('lines-table', ['Line', 'SKU', ...LINE_COLUMNS.map((c) => c[0]!.toUpperCase() + c.slice(1)), 'Promised date'], lines),
    h('h3', {}, 'Timeline'),
    notificationsError ? h('p', { class: 'warning', id: 'notifications-error' }, `The customer's notifications could not be read: ${notificationsError}`) : null,
    table('timeline-table', ['When', 'Source', 'What', 'Detail'], timeline, 'Nothing happened to this order yet.'),
  );
}
