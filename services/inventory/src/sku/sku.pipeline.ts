import { TOPICS } from '@fulfillment/contracts';
import type { Work } from '@fulfillment/eventstore';
import type { SkuCommand, SkuState } from '@fulfillment/inventory-domain';
import { ServicePipeline } from '@fulfillment/platform';
import { publishInventoryEvents } from './inventory-events.mapper.js';
import { skuAggregate } from './sku.aggregate.js';
import { skuSweeps, sweepEntriesToSave } from './sku-sweeps.repository.js';

export type SkuWork = Work<SkuCommand, SkuState>;

/**
 * Every write to a SKU, from HTTP and from Kafka. The SKUs of a batch are locked together, so decisions about one SKU
 * are taken one after the other even across service instances: FIFO order is the commit order. The expiry sweep's
 * index (`sku_sweeps`) is written in the same transaction, so it is never behind the SKU it points at.
 */
export class SkuPipeline extends ServicePipeline({
  aggregate: skuAggregate,
  topic: TOPICS.inventoryEvents,
  publish: publishInventoryEvents,
  project: (tx, changed) => skuSweeps.save(tx, sweepEntriesToSave(changed)),
}) {}
