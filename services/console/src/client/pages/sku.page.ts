import { api } from '../api.js';
import { depthChart } from '../depth-chart.js';
import { h, link, table } from '../dom.js';
import { age, when } from '../format.js';
import type { SkuPageAnswer } from '../console-api.js';
import type { PageContext } from '../page.js';

type SkuQueue = SkuPageAnswer;

const figure = (label: string, value: string | number, id: string) => h('div', { class: 'figure' }, h('dt', {}, label), h('dd', { id }, value));

/** One SKU: its stock, its queue in FIFO order with the promised dates, what is coming, its queue over time. */
export async function skuPage([sku]: string[], _page: PageContext): Promise<Node> {
  const view = await api<SkuQueue>('GET', `/api/skus/${encodeURIComponent(sku ?? '')}`);
  const queue = view.queue.map((line) =>
    h(
      'tr',
      { 'data-order': line.orderId, 'data-line': line.lineId },
      h('td', { class: 'num' }, line.position),
      h('td', {}, link(`/orders/${encodeURIComponent(line.orderId)}`, line.orderId)),
      h('td', {}, line.lineId),
      h('td', {}, line.customerId),
      h('td', { class: 'num', 'data-col': 'units' }, line.quantity),
      h('td', { class: 'num' }, line.unitsAhead),
      h('td', {}, when(line.queuedAt)),
      h('td', {}, age(line.waitedSeconds)),
      h('td', { 'data-col': 'promised' }, line.expectedAt === null ? 'no date known' : when(line.expectedAt), line.preorder ? h('small', {}, ' (preorder)') : null),
      h('td', {}, line.coveredBy ?? 'not covered'),
    ),
  );
  const incoming = view.incoming.map((po) => h('tr', {}, h('td', {}, po.purchaseOrderId), h('td', { class: 'num' }, po.quantity), h('td', {}, when(po.expectedAt))));
  const supplier =
    view.purchaseOrders === null
      ? h('p', { class: 'warning', id: 'purchase-orders-error' }, `The supplier's purchase orders could not be read: ${view.purchaseOrdersError ?? 'unknown error'}`)
      : table(
          'purchase-orders',
          ['Purchase order', 'Ordered', 'Received', 'Expected', 'Status'],
          view.purchaseOrders.map((po) =>
            h('tr', {}, h('td', {}, po.purchaseOrderId), h('td', { class: 'num' }, po.quantity), h('td', { class: 'num' }, po.received), h('td', {}, when(po.expectedAt)), h('td', {}, po.status)),
          ),
          'No open purchase order at the supplier.',
        );
  return h(
    'section',
    { id: 'sku' },
    h('p', {}, link('/board', '← Board')),
    h('h2', {}, 'SKU ', h('code', { id: 'sku-name' }, view.sku)),
    h(
      'dl',
      { class: 'figures' },
      figure('On hand', view.onHand, 'sku-on-hand'),
      figure('Reserved', view.reserved, 'sku-reserved'),
      figure('Available', view.available, 'sku-available'),
      figure('Units waiting', view.backordered, 'sku-backordered'),
      figure('Lines waiting', view.queue.length, 'sku-queue-lines'),
      figure('Requested, no PO yet', view.pendingReplenishment, 'sku-pending'),
      view.preordersUntil ? figure('Preorders until', when(view.preordersUntil), 'sku-release') : null,
    ),
    h('h3', {}, 'Queue (first served first)'),
    table(
      'queue-table',
      ['#', 'Order', 'Line', 'Customer', 'Units', 'Units ahead', 'Queued', 'Waited', 'Promised date', 'Covered by'],
      queue,
      'Nothing waits for this SKU.',
    ),
    h('h3', {}, 'Incoming (open purchase orders, in the order their units are promised)'),
    table('incoming-table', ['Purchase order', 'Units', 'Expected'], incoming, 'No open purchase order.'),
    h('h3', {}, 'At the supplier'),
    supplier,
    depthChart('sku-chart', `Units waiting for ${view.sku}`, view.history),
  );
}
