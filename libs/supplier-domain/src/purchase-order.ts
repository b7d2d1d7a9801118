import type { DomainEvent } from '@fulfillment/kernel';
import type { IsoInstant } from '@fulfillment/time';

/** Why the purchase order exists: placed by an operator, or by the replenishment policy for inventory. */
export type PurchaseOrderReason = 'manual' | 'replenishment';

/** `received`: every unit arrived; `closed`: the supplier will send no more, short of the ordered quantity. */
export type PurchaseOrderStatus = 'open' | 'received' | 'closed';

export type PurchaseOrderPlaced = DomainEvent<
  'PurchaseOrderPlaced',
  {
    purchaseOrderId: string;
    sku: string;
    quantity: number;
    expectedAt: IsoInstant;
    reason: PurchaseOrderReason;
    placedAt: IsoInstant;
  }
>;
export type PurchaseOrderEtaChanged = DomainEvent<
  'PurchaseOrderEtaChanged',
  {
    purchaseOrderId: string;
    sku: string;
    previousExpectedAt: IsoInstant;
    expectedAt: IsoInstant;
    changedAt: IsoInstant;
  }
>;
/** `remainingOnOrder`: units still expected after this receipt; 0 once fully received or closed short. */
export type PurchaseOrderReceived = DomainEvent<
  'PurchaseOrderReceived',
  { purchaseOrderId: string; sku: string; quantity: number; receivedAt: IsoInstant; remainingOnOrder: number }
>;

export type PurchaseOrderEvent = PurchaseOrderPlaced | PurchaseOrderEtaChanged | PurchaseOrderReceived;

export interface PlacedPurchaseOrder {
  readonly status: PurchaseOrderStatus;
  readonly purchaseOrderId: string;
  readonly sku: string;
  readonly quantity: number;
  readonly received: number;
  readonly expectedAt: IsoInstant;
}

export type PurchaseOrderState = { readonly status: 'initial' } | PlacedPurchaseOrder;

export const initialState = (): PurchaseOrderState => ({ status: 'initial' });

export const isPlaced = (state: PurchaseOrderState): state is PlacedPurchaseOrder => state.status !== 'initial';

export function evolve(state: PurchaseOrderState, event: PurchaseOrderEvent): PurchaseOrderState {
  if (event.type === 'PurchaseOrderPlaced') {
    const { purchaseOrderId, sku, quantity, expectedAt } = event.data;
    return { status: 'open', purchaseOrderId, sku, quantity, received: 0, expectedAt };
  }
  // Every other event belongs to a placed purchase order; the store never holds one before PurchaseOrderPlaced.
  if (!isPlaced(state)) return state;

  switch (event.type) {
    case 'PurchaseOrderEtaChanged':
      return { ...state, expectedAt: event.data.expectedAt };
    case 'PurchaseOrderReceived': {
      const received = state.received + event.data.quantity;
      const status: PurchaseOrderStatus =
        received >= state.quantity ? 'received' : event.data.remainingOnOrder === 0 ? 'closed' : 'open';
      return { ...state, received, status };
    }
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
}

/** Shaped like SPEC's GET /purchase-orders/:id. */
export interface PurchaseOrderView {
  purchaseOrderId: string;
  sku: string;
  quantity: number;
  received: number;
  expectedAt: IsoInstant;
  status: PurchaseOrderStatus;
}

/** The GET /purchase-orders/:id body, or null when no purchase order was placed in this stream (a 404). */
export function purchaseOrderView(state: PurchaseOrderState): PurchaseOrderView | null {
  if (!isPlaced(state)) return null;
  const { purchaseOrderId, sku, quantity, received, expectedAt, status } = state;
  return { purchaseOrderId, sku, quantity, received, expectedAt, status };
}

/** Units the supplier still owes on this purchase order: 0 once it is received or closed. */
export const remainingOnOrder = (order: PlacedPurchaseOrder): number =>
  order.status === 'open' ? order.quantity - order.received : 0;

export const purchaseOrderStreamName = (purchaseOrderId: string): string => `purchase-order-${purchaseOrderId}`;
