import { decideByType, type CommandHandlers, type DomainCommand } from '@fulfillment/kernel';
import type { IsoInstant } from '@fulfillment/time';
import { instant, invalid, positiveInteger, text } from './command-fields.js';
import {
  NO_LEAD_TIME,
  type ReplenishmentEvent,
  type ReplenishmentRequestAnswered,
  type ReplenishmentState,
} from './replenishment-requests.js';

/**
 * Inventory's `ReplenishmentRequested` (requestId = its envelope id). `plannedPurchaseOrderId` is the purchase order
 * `planReplenishment` placed for it, or null when it planned none (no lead time): the policy decides, this records.
 */
export type RecordReplenishmentRequest = DomainCommand<
  'RecordReplenishmentRequest',
  {
    requestId: string;
    sku: string;
    quantity: number;
    reason: string;
    plannedPurchaseOrderId: string | null;
    now: IsoInstant;
  }
>;
/** A purchase order placed by hand for the SKU: it answers the open requests it covers, oldest first. */
export type AnswerReplenishmentRequests = DomainCommand<
  'AnswerReplenishmentRequests',
  { sku: string; purchaseOrderId: string; quantity: number; now: IsoInstant }
>;

export type ReplenishmentCommand = RecordReplenishmentRequest | AnswerReplenishmentRequests;

/**
 * Pure: the events a command produces on the SKU's requests. Throws `SupplierDomainError` (`invalid-command`) for a
 * malformed command or one aimed at another SKU's stream.
 *
 * - A request planned with a purchase order is answered by it (`planned`), and so is every older open request of the
 *   SKU (`superseded`): inventory stopped counting those when they were reported unplanned, so what it asks for now
 *   is its whole shortfall again, theirs included.
 * - A request planned with none stays open and is reported `ReplenishmentUnplanned` (reason `no-lead-time`).
 * - A purchase order placed by hand answers the open requests whose quantities it covers in full, oldest first; a
 *   request it covers only in part stays open (and so do the younger ones: no overtaking).
 * - A request already recorded (one of the latest `RECENT_REQUESTS_KEPT`) changes nothing.
 */
export function decideReplenishment(command: ReplenishmentCommand, state: ReplenishmentState): readonly ReplenishmentEvent[] {
  return decideByType(REPLENISHMENT_HANDLERS, command, state, (type) => {
    throw invalid(`unknown command ${type}`);
  });
}

function record(data: RecordReplenishmentRequest['data'], state: ReplenishmentState): ReplenishmentEvent[] {
  const requestId = text(data.requestId, 'requestId');
  const sku = sameSku(text(data.sku, 'sku'), state);
  const quantity = positiveInteger(data.quantity, 'quantity');
  const reason = text(data.reason, 'reason');
  const plannedPurchaseOrderId = data.plannedPurchaseOrderId === null ? null : text(data.plannedPurchaseOrderId, 'plannedPurchaseOrderId');
  const now = instant(data.now, 'now');
  if (state.recentRequestIds.includes(requestId)) return [];

  const recorded: ReplenishmentEvent = { type: 'ReplenishmentRequestRecorded', data: { requestId, sku, quantity, reason, requestedAt: now } };
  if (plannedPurchaseOrderId === null) {
    return [recorded, { type: 'ReplenishmentUnplanned', data: { requestId, sku, quantity, reason: NO_LEAD_TIME, at: now } }];
  }
  const answered = (id: string, answer: 'planned' | 'superseded'): ReplenishmentRequestAnswered => ({
    type: 'ReplenishmentRequestAnswered',
    data: { requestId: id, sku, purchaseOrderId: plannedPurchaseOrderId, answer, answeredAt: now },
  });
  return [recorded, answered(requestId, 'planned'), ...state.open.map((older) => answered(older.requestId, 'superseded'))];
}

function answerByHand(data: AnswerReplenishmentRequests['data'], state: ReplenishmentState): ReplenishmentEvent[] {
  const sku = sameSku(text(data.sku, 'sku'), state);
  const purchaseOrderId = text(data.purchaseOrderId, 'purchaseOrderId');
  let left = positiveInteger(data.quantity, 'quantity');
  const answeredAt = instant(data.now, 'now');
  const events: ReplenishmentEvent[] = [];
  for (const request of state.open) {
    if (request.quantity > left) break;
    left -= request.quantity;
    events.push({
      type: 'ReplenishmentRequestAnswered',
      data: { requestId: request.requestId, sku, purchaseOrderId, answer: 'manual', answeredAt },
    });
  }
  return events;
}

function sameSku(sku: string, state: ReplenishmentState): string {
  if (state.sku !== null && state.sku !== sku) throw invalid(`sku: this stream holds the requests of ${state.sku}, not ${sku}`);
  return sku;
}

const REPLENISHMENT_HANDLERS: CommandHandlers<ReplenishmentCommand, ReplenishmentState, readonly ReplenishmentEvent[]> = {
  RecordReplenishmentRequest: record,
  AnswerReplenishmentRequests: answerByHand,
};
