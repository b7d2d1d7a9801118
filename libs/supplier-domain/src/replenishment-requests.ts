import type { DomainEvent } from '@fulfillment/kernel';
import type { IsoInstant } from '@fulfillment/time';

// Inventory's replenishment requests as the supplier keeps them, one stream per SKU: an open request waits for a
// purchase order, and the purchase orders of a SKU are what answers its requests, so the SKU is the natural unit
// (answering reads and changes every open request of the SKU at once, in one stream).

/** Why a request could not be planned: the SKU has no supplier lead time, so no purchase order can be dated. */
export const NO_LEAD_TIME = 'no-lead-time';

/** How an answered request was answered: its own replenishment purchase order, a later one, or one placed by hand. */
export type AnswerKind = 'planned' | 'superseded' | 'manual';

export type ReplenishmentRequestRecorded = DomainEvent<
  'ReplenishmentRequestRecorded',
  { requestId: string; sku: string; quantity: number; reason: string; requestedAt: IsoInstant }
>;
/** Published as `ReplenishmentUnplanned` (supplier.events): inventory stops counting the units as supply. */
export type ReplenishmentUnplanned = DomainEvent<
  'ReplenishmentUnplanned',
  { requestId: string; sku: string; quantity: number; reason: string; at: IsoInstant }
>;
export type ReplenishmentRequestAnswered = DomainEvent<
  'ReplenishmentRequestAnswered',
  { requestId: string; sku: string; purchaseOrderId: string; answer: AnswerKind; answeredAt: IsoInstant }
>;

export type ReplenishmentEvent = ReplenishmentRequestRecorded | ReplenishmentUnplanned | ReplenishmentRequestAnswered;

export interface OpenRequest {
  readonly requestId: string;
  readonly quantity: number;
  readonly reason: string;
  readonly requestedAt: IsoInstant;
}

/**
 * `open`: requests no purchase order answers yet, oldest first. `recentRequestIds`: the ids of the latest requests
 * recorded, open or answered, so a redelivered request is recognised; bounded by `RECENT_REQUESTS_KEPT`, because a
 * SKU is replenished for as long as it is sold (the service's inbox stops older copies).
 */
export interface ReplenishmentState {
  readonly sku: string | null;
  readonly open: readonly OpenRequest[];
  readonly recentRequestIds: readonly string[];
}

export const RECENT_REQUESTS_KEPT = 100;

export const initialReplenishmentState = (): ReplenishmentState => ({ sku: null, open: [], recentRequestIds: [] });

export function evolveReplenishment(state: ReplenishmentState, event: ReplenishmentEvent): ReplenishmentState {
  switch (event.type) {
    case 'ReplenishmentRequestRecorded': {
      const { requestId, sku, quantity, reason, requestedAt } = event.data;
      return {
        sku,
        // Open until an answer or the unplanned verdict says otherwise; both follow in the same decision.
        open: [...state.open, { requestId, quantity, reason, requestedAt }],
        recentRequestIds: [...state.recentRequestIds, requestId].slice(-RECENT_REQUESTS_KEPT),
      };
    }
    case 'ReplenishmentUnplanned':
      return state;
    case 'ReplenishmentRequestAnswered':
      return { ...state, open: state.open.filter((request) => request.requestId !== event.data.requestId) };
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
}

export const replenishmentStreamName = (sku: string): string => `replenishment-${sku}`;

/** The SKU's open requests, oldest first: what `GET /replenishment-requests?status=open` lists for it. */
export const openRequests = (state: ReplenishmentState): readonly OpenRequest[] => state.open;
