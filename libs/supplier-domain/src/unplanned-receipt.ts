import type { IsoInstant } from '@fulfillment/time';
import { instant, positiveInteger, text } from './command-fields.js';
import { SupplierDomainError } from './supplier-domain.error.js';

/**
 * Goods that arrived outside any purchase order. They change no purchase order, so nothing but the input can refuse
 * them; they are still recorded as events (one small stream per SKU) so every receipt the service ever published is in
 * its store.
 */
export type UnplannedRestockReceived = Readonly<{
  type: 'UnplannedRestockReceived';
  data: Readonly<{ sku: string; quantity: number; receivedAt: IsoInstant }>;
}>;

/** `closePurchaseOrder` is refused: it most likely means the purchase order id was left out (see decide). */
export type ReceiveUnplanned = Readonly<{
  type: 'ReceiveUnplanned';
  data: Readonly<{ sku: string; quantity: number; closePurchaseOrder?: boolean; now: IsoInstant }>;
}>;

/** What the stream remembers: nothing a decision needs but the count, kept for the views. */
export interface UnplannedReceiptsState {
  readonly received: number;
}

export const skuReceiptsStreamName = (sku: string): string => `sku-receipts-${sku}`;

export function receiveUnplanned(sku: string, quantity: number, now: IsoInstant): UnplannedRestockReceived {
  text(sku, 'sku');
  positiveInteger(quantity, 'quantity');
  const receivedAt = instant(now, 'now');
  return { type: 'UnplannedRestockReceived', data: { sku, quantity, receivedAt } };
}

/**
 * The decider of a SKU's unplanned receipts. Closing a purchase order without naming it is refused: recording the
 * goods as unplanned would leave that order open and counted as incoming for ever.
 */
export const unplannedReceiptsDecider = {
  initialState: (): UnplannedReceiptsState => ({ received: 0 }),
  evolve: (state: UnplannedReceiptsState, event: UnplannedRestockReceived): UnplannedReceiptsState => ({
    received: state.received + event.data.quantity,
  }),
  decide: (command: ReceiveUnplanned, _state: UnplannedReceiptsState): readonly UnplannedRestockReceived[] => {
    if (command.data.closePurchaseOrder === true) {
      throw new SupplierDomainError('invalid-command', 'closePurchaseOrder: needs a purchaseOrderId');
    }
    return [receiveUnplanned(command.data.sku, command.data.quantity, command.data.now)];
  },
};
