import { randomUUID } from 'node:crypto';
import { TOPICS, decodeWanted, type MessageDecoder } from '@fulfillment/contracts';

/** A valid `BackInStock` envelope (inventory.events) as the JSON text a producer would send. */
export function backInStock(
  data: { sku?: string; available?: number } = {},
  envelope: Record<string, unknown> = {},
): { id: string; key: string; value: string } {
  const id = (envelope.id as string | undefined) ?? randomUUID();
  const sku = data.sku ?? `SKU-${randomUUID().slice(0, 6)}`;
  const value = {
    specversion: '1.0',
    id,
    type: 'BackInStock',
    dataversion: 1,
    source: 'inventory',
    subject: sku,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    correlationid: randomUUID(),
    causationid: null,
    data: { sku, available: data.available ?? 1 },
    ...envelope,
  };
  return { id, key: sku, value: JSON.stringify(value) };
}

/**
 * Test topics have unique names, but the contracts only accept a type on its own topic: decode as if the test topic
 * were inventory.events.
 */
export const decodeAsInventoryEvents: MessageDecoder = (_topic, value, context, wanted) =>
  decodeWanted(TOPICS.inventoryEvents, value, context, wanted);
