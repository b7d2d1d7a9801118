import { decideByType, type CommandHandlers, type DomainCommand } from '@fulfillment/kernel';
import type { IsoInstant } from '@fulfillment/time';
import { instant, invalid, positiveInteger, text } from './command-fields.js';
import {
  isPlaced,
  type PlacedPurchaseOrder,
  type PurchaseOrderEvent,
  type PurchaseOrderReason,
  type PurchaseOrderState,
} from './purchase-order.js';
import { SupplierDomainError } from './supplier-domain.error.js';

export type PlacePurchaseOrder = DomainCommand<
  'PlacePurchaseOrder',
  {
    purchaseOrderId: string;
    sku: string;
    quantity: number;
    expectedAt: IsoInstant;
    reason: PurchaseOrderReason;
    now: IsoInstant;
  }
>;
/** Moving the date to the instant it already has emits nothing. */
export type ChangePurchaseOrderEta = DomainCommand<
  'ChangePurchaseOrderEta',
  { expectedAt: IsoInstant; now: IsoInstant; purchaseOrderId?: string }
>;
/**
 * `purchaseOrderId`, when given, names the purchase order in a refusal. `close`: the supplier sends nothing more, so the purchase order closes even if this receipt leaves it short. `sku`,
 * when the receipt names one (a ReceiveRestock command does), must be the purchase order's.
 */
export type ReceivePurchaseOrder = DomainCommand<
  'ReceivePurchaseOrder',
  { quantity: number; close?: boolean; sku?: string; now: IsoInstant; purchaseOrderId?: string }
>;

export type PurchaseOrderCommand = PlacePurchaseOrder | ChangePurchaseOrderEta | ReceivePurchaseOrder;

/**
 * Pure: the events a command produces on top of `state`. Throws `SupplierDomainError` when the command is invalid
 * (checked first, so a malformed request is a 400 whatever the state), targets no purchase order, or is refused.
 */
export function decide(command: PurchaseOrderCommand, state: PurchaseOrderState): readonly PurchaseOrderEvent[] {
  return decideByType(PURCHASE_ORDER_HANDLERS, command, state, (type) => {
    throw invalid(`unknown command ${type}`);
  });
}

const reasons: readonly PurchaseOrderReason[] = ['manual', 'replenishment'];

function placePurchaseOrder(data: PlacePurchaseOrder['data'], state: PurchaseOrderState): PurchaseOrderEvent[] {
  const purchaseOrderId = text(data.purchaseOrderId, 'purchaseOrderId');
  const sku = text(data.sku, 'sku');
  const quantity = positiveInteger(data.quantity, 'quantity');
  const expectedAt = instant(data.expectedAt, 'expectedAt');
  const placedAt = instant(data.now, 'now');
  if (!reasons.includes(data.reason)) throw invalid(`reason: must be one of ${reasons.join(', ')}`);
  if (isPlaced(state)) {
    throw new SupplierDomainError(
      'purchase-order-already-placed',
      `purchase order ${state.purchaseOrderId} has already been placed`,
    );
  }
  const { reason } = data;
  return [{ type: 'PurchaseOrderPlaced', data: { purchaseOrderId, sku, quantity, expectedAt, reason, placedAt } }];
}

function changeEta(data: ChangePurchaseOrderEta['data'], state: PurchaseOrderState): PurchaseOrderEvent[] {
  const expectedAt = instant(data.expectedAt, 'expectedAt');
  const changedAt = instant(data.now, 'now');
  const order = openOrder(state, 'ChangePurchaseOrderEta', data.purchaseOrderId);
  if (expectedAt === order.expectedAt) return [];
  const { purchaseOrderId, sku } = order;
  return [
    {
      type: 'PurchaseOrderEtaChanged',
      data: { purchaseOrderId, sku, previousExpectedAt: order.expectedAt, expectedAt, changedAt },
    },
  ];
}

function receive(data: ReceivePurchaseOrder['data'], state: PurchaseOrderState): PurchaseOrderEvent[] {
  const quantity = positiveInteger(data.quantity, 'quantity');
  const receivedAt = instant(data.now, 'now');
  if (data.close !== undefined && typeof data.close !== 'boolean') throw invalid('close: must be a boolean');
  const order = openOrder(state, 'ReceivePurchaseOrder', data.purchaseOrderId);
  const { purchaseOrderId, sku } = order;
  if (data.sku !== undefined && data.sku !== sku) {
    throw new SupplierDomainError('sku-mismatch', `purchase order ${purchaseOrderId} is for sku ${sku}, not ${data.sku}`);
  }
  if (order.received + quantity > order.quantity) {
    throw new SupplierDomainError(
      'over-receipt',
      `purchase order ${purchaseOrderId}: ordered ${order.quantity}, received ${order.received}, attempted ${quantity}`,
    );
  }
  const remainingOnOrder = data.close === true ? 0 : order.quantity - order.received - quantity;
  return [{ type: 'PurchaseOrderReceived', data: { purchaseOrderId, sku, quantity, receivedAt, remainingOnOrder } }];
}

function openOrder(state: PurchaseOrderState, commandType: string, purchaseOrderId?: string): PlacedPurchaseOrder {
  if (!isPlaced(state)) {
    const which = purchaseOrderId === undefined ? 'no purchase order in this stream' : `purchase order ${purchaseOrderId} does not exist`;
    throw new SupplierDomainError('unknown-purchase-order', `${commandType}: ${which}`);
  }
  if (state.status !== 'open') {
    throw new SupplierDomainError(
      'purchase-order-closed',
      `${commandType}: purchase order ${state.purchaseOrderId} is ${state.status}`,
    );
  }
  return state;
}

const PURCHASE_ORDER_HANDLERS: CommandHandlers<PurchaseOrderCommand, PurchaseOrderState, readonly PurchaseOrderEvent[]> = {
  PlacePurchaseOrder: placePurchaseOrder,
  ChangePurchaseOrderEta: changeEta,
  ReceivePurchaseOrder: receive,
};
