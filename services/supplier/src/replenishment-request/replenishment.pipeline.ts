import { Inject, Injectable } from '@nestjs/common';
import { TOPICS } from '@fulfillment/contracts';
import { CommandPipeline, type PostgresEventStore, type Work } from '@fulfillment/eventstore';
import { EVENT_STORE, RUNTIME, type ServiceRuntime } from '@fulfillment/platform';
import type { ReplenishmentCommand, ReplenishmentEvent, ReplenishmentState } from '@fulfillment/supplier-domain';
import { replenishmentAggregate } from './replenishment-request.aggregate.js';
import { publishReplenishmentEvents } from './replenishment-events.mapper.js';
import { ReplenishmentRequestsRepository } from './replenishment-requests.repository.js';

export type ReplenishmentWork = Work<ReplenishmentCommand, ReplenishmentState>;

/** Every write to a SKU's replenishment requests, with their listing kept in step. */
@Injectable()
export class ReplenishmentPipeline extends CommandPipeline<ReplenishmentCommand, ReplenishmentEvent, ReplenishmentState> {
  constructor(@Inject(EVENT_STORE) store: PostgresEventStore, @Inject(RUNTIME) rt: ServiceRuntime, listing: ReplenishmentRequestsRepository) {
    super(store, {
      aggregate: replenishmentAggregate,
      publish: publishReplenishmentEvents(rt.topics.name(TOPICS.supplierEvents)),
      project: (tx, changed) => listing.save(tx, changed),
    });
  }
}
