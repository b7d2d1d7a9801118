import type { AnyEnvelope } from '@fulfillment/contracts';
import { NonRetryableError } from '@fulfillment/messaging';
import { isPlaced, type IsoInstant } from '@fulfillment/order-domain';
import { issuePath } from '@fulfillment/platform';
import type { z } from 'zod';
import { DEFAULT_CANCEL_REASON } from '../cancel-order/cancel-order.request.js';
import { cancelOrderCommand } from '../cancel-order/cancel-order.command.js';
import type { OrderWork } from '../order/order.pipeline.js';
import { lineIdOf, placeOrderCommand } from '../place-order/place-order.command.js';
import { placeOrderRequestSchema } from '../place-order/place-order.request.js';
import { cancelOrderLineCommand } from '../cancel-order-line/cancel-order-line.command.js';
import { cancelOrderLineRequestSchema } from '../cancel-order-line/cancel-order-line.request.js';
import { shipOrderCommand } from '../ship-order/ship-order.command.js';
import { shipOrderRequestSchema } from '../ship-order/ship-order.request.js';
import { substituteOrderLineCommand } from '../substitute-order-line/substitute-order-line.command.js';
import { substituteOrderLineRequestSchema } from '../substitute-order-line/substitute-order-line.request.js';
import { orderIdFromCommandId } from './derived-order-id.js';

const COMMAND_TYPES = ['PlaceOrder', 'CancelOrder', 'ShipOrder', 'CancelOrderLine', 'SubstituteOrderLine'] as const;

export type OrderCommandEnvelope = Extract<AnyEnvelope, { type: (typeof COMMAND_TYPES)[number] }>;

// Line ids embed the order id and must fit the contracts' 200-character identifiers.
const MAX_LINE_ID_LENGTH = 200;

/**
 * The order work a command asks for. A command the HTTP API would refuse (blank ids, more than 100 lines, ...) is
 * refused here too, with the same field-naming reason, as a `NonRetryableError`: it is dead-lettered at once.
 */
export function orderWorkOfCommand(envelope: OrderCommandEnvelope, now: IsoInstant): OrderWork {
  const cause = { correlationId: envelope.correlationid, causationId: envelope.id };
  switch (envelope.type) {
    case 'PlaceOrder': {
      const { orderId: givenOrderId, ...request } = envelope.data;
      const placed = asTheHttpApi(envelope.type, placeOrderRequestSchema, request);
      // Without an id of its own, every delivery of this command names the same order.
      const orderId = givenOrderId ?? orderIdFromCommandId(envelope.id);
      if (lineIdOf(orderId, placed.lines.length - 1).length > MAX_LINE_ID_LENGTH) {
        throw new NonRetryableError(`PlaceOrder refused: orderId: too long to derive line ids from (${orderId.length} characters)`);
      }
      return {
        id: orderId,
        command: placeOrderCommand(orderId, placed, now),
        at: now,
        cause,
        // An order already in the stream of a derived id was placed by this very command, delivered again after the
        // inbox forgot it: nothing is left to do.
        ...(givenOrderId === undefined ? { skipIf: isPlaced } : {}),
      };
    }
    case 'CancelOrder': {
      const { orderId, reason } = envelope.data;
      return { id: orderId, command: cancelOrderCommand(orderId, reason ?? DEFAULT_CANCEL_REASON, now), at: now, cause };
    }
    case 'ShipOrder': {
      // A repeated shipmentId is a no-op in the domain: a redelivery the inbox forgot ships nothing twice.
      const { orderId, ...request } = envelope.data;
      const shipment = asTheHttpApi(envelope.type, shipOrderRequestSchema, request);
      return { id: orderId, command: shipOrderCommand(orderId, request.shipmentId, shipment, now), at: now, cause };
    }
    case 'CancelOrderLine': {
      const { orderId, lineId, ...request } = envelope.data;
      const cancel = asTheHttpApi(envelope.type, cancelOrderLineRequestSchema, request);
      return { id: orderId, command: cancelOrderLineCommand(orderId, lineId, cancel, now), at: now, cause };
    }
    case 'SubstituteOrderLine': {
      const { orderId, lineId, ...request } = envelope.data;
      const { sku } = asTheHttpApi(envelope.type, substituteOrderLineRequestSchema, request);
      return { id: orderId, command: substituteOrderLineCommand(orderId, lineId, sku, now), at: now, cause };
    }
    default: {
      const unexpected: never = envelope;
      throw new NonRetryableError(`no handling for ${(unexpected as AnyEnvelope).type} on order.commands`);
    }
  }
}

export const isOrderCommand = (envelope: AnyEnvelope): envelope is OrderCommandEnvelope =>
  (COMMAND_TYPES as readonly string[]).includes(envelope.type);

/** The command's data under the HTTP API's rules for the same request, or a dead letter naming the field. */
function asTheHttpApi<T extends z.ZodType>(type: string, schema: T, data: unknown): z.output<T> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new NonRetryableError(`${type} refused: ${issuePath(issue.path) || 'data'}: ${issue.message}`);
  }
  return parsed.data;
}
