import { TOPICS } from '@fulfillment/contracts';
import type { Work } from '@fulfillment/eventstore';
import { ServicePipeline } from '@fulfillment/platform';
import type { ReplenishmentCommand, ReplenishmentState } from '@fulfillment/supplier-domain';
import { replenishmentAggregate } from './replenishment-request.aggregate.js';
import { publishReplenishmentEvents } from './replenishment-events.mapper.js';
import { ReplenishmentRequestsRepository } from './replenishment-requests.repository.js';

export type ReplenishmentWork = Work<ReplenishmentCommand, ReplenishmentState>;

/** Every write to a SKU's replenishment requests, with their listing kept in step. */
export class ReplenishmentPipeline extends ServicePipeline({
  aggregate: replenishmentAggregate,
  topic: TOPICS.supplierEvents,
  publish: publishReplenishmentEvents,
  readModel: ReplenishmentRequestsRepository,
}) {}
