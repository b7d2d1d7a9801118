import { Inject, Injectable } from '@nestjs/common';
import { TOPICS } from '@fulfillment/contracts';
import { CommandPipeline, type PostgresEventStore, type Work } from '@fulfillment/eventstore';
import type { SkuCommand, SkuEvent, SkuState } from '@fulfillment/inventory-domain';
import { EVENT_STORE, RUNTIME, type ServiceRuntime } from '@fulfillment/platform';
import { publishInventoryEvents } from './inventory-events.mapper.js';
import { skuAggregate } from './sku.aggregate.js';
import { skuSweeps, sweepEntriesToSave } from './sku-sweeps.repository.js';

export type SkuWork = Work<SkuCommand, SkuState>;

/**
 * Every write to a SKU, from HTTP and from Kafka. The SKUs of a batch are locked together, so decisions about one SKU
 * are taken one after the other even across service instances: FIFO order is the commit order. The expiry sweep's
 * index (`sku_sweeps`) is written in the same transaction, so it is never behind the SKU it points at.
 */
@Injectable()
export class SkuPipeline extends CommandPipeline<SkuCommand, SkuEvent, SkuState> {
  constructor(@Inject(EVENT_STORE) store: PostgresEventStore, @Inject(RUNTIME) rt: ServiceRuntime) {
    super(store, {
      aggregate: skuAggregate,
      publish: publishInventoryEvents(rt.topics.name(TOPICS.inventoryEvents)),
      project: (tx, changed) => skuSweeps.save(tx, sweepEntriesToSave(changed)),
    });
  }
}
