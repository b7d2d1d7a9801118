import type { AnyEnvelope } from '@fulfillment/contracts';
import type { InventoryOutcome, IsoInstant } from '@fulfillment/order-domain';
import type { OrderWork } from '../order/order.pipeline.js';

/** Inventory's answers about order lines; the rest of inventory.events (replenishment, back in stock) is not ours. */
export const INVENTORY_OUTCOME_TYPES = [
  'StockReserved',
  'BackorderQueued',
  'BackorderAllocated',
  'BackorderEtaChanged',
  'BackorderReleased',
  'StockReleased',
  'StockUnavailable',
  'StockShipped',
] as const;

export type InventoryOutcomeEnvelope = Extract<AnyEnvelope, { type: (typeof INVENTORY_OUTCOME_TYPES)[number] }>;

export const isInventoryOutcome = (envelope: AnyEnvelope): envelope is InventoryOutcomeEnvelope =>
  (INVENTORY_OUTCOME_TYPES as readonly string[]).includes(envelope.type);

/** Field by field: the envelope id becomes the outcome's `eventId`, which the order uses to ignore a redelivery. */
export function inventoryOutcomeOf(envelope: InventoryOutcomeEnvelope): InventoryOutcome {
  const eventId = envelope.id;
  switch (envelope.type) {
    case 'StockReserved': {
      const { lineId, quantity } = envelope.data;
      return { type: 'RecordStockReserved', data: { lineId, quantity, eventId } };
    }
    case 'BackorderQueued': {
      const { lineId, quantity, expectedAt, substitutes } = envelope.data;
      return { type: 'RecordBackorderQueued', data: { lineId, quantity, expectedAt, substitutes: [...substitutes], eventId } };
    }
    case 'BackorderAllocated': {
      const { lineId, quantity } = envelope.data;
      return { type: 'RecordBackorderAllocated', data: { lineId, quantity, eventId } };
    }
    case 'BackorderEtaChanged': {
      const { lineId, expectedAt } = envelope.data;
      return { type: 'RecordBackorderEtaChanged', data: { lineId, expectedAt, eventId } };
    }
    case 'BackorderReleased': {
      const { lineId, quantity, reason } = envelope.data;
      return { type: 'RecordBackorderReleased', data: { lineId, quantity, reason, eventId } };
    }
    case 'StockReleased': {
      const { lineId, quantity, reason } = envelope.data;
      return { type: 'RecordStockReleased', data: { lineId, quantity, reason, eventId } };
    }
    case 'StockUnavailable': {
      const { lineId, quantity, substitutes } = envelope.data;
      return { type: 'RecordStockUnavailable', data: { lineId, quantity, substitutes: [...substitutes], eventId } };
    }
    case 'StockShipped': {
      const { lineId, quantity } = envelope.data;
      return { type: 'RecordStockShipped', data: { lineId, quantity, eventId } };
    }
    default: {
      const unexpected: never = envelope;
      throw new Error(`no outcome for ${(unexpected as AnyEnvelope).type}`);
    }
  }
}

export const orderWorkOfOutcome = (envelope: InventoryOutcomeEnvelope, now: IsoInstant): OrderWork => ({
  id: envelope.data.orderId,
  command: inventoryOutcomeOf(envelope),
  at: now,
  cause: { correlationId: envelope.correlationid, causationId: envelope.id },
});
