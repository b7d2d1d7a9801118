import type { AnyEnvelope } from '@fulfillment/contracts';
import { NonRetryableError } from '@fulfillment/messaging';
import { isPlaced, type IsoInstant } from '@fulfillment/order-domain';
import { issuePath } from '@fulfillment/platform';
import { DEFAULT_CANCEL_REASON } from '../cancel-order/cancel-order.request.js';
import { cancelOrderCommand } from '../cancel-order/cancel-order.command.js';
import type { OrderWork } from '../order/order.pipeline.js';
import { lineIdOf, placeOrderCommand } from '../place-order/place-order.command.js';
import { placeOrderRequestSchema } from '../place-order/place-order.request.js';
import { orderIdFromCommandId } from './derived-order-id.js';

export type OrderCommandEnvelope = Extract<AnyEnvelope, { type: 'PlaceOrder' | 'CancelOrder' }>;

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
      const parsed = placeOrderRequestSchema.safeParse(request);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new NonRetryableError(`PlaceOrder refused: ${issuePath(issue.path) || 'data'}: ${issue.message}`);
      }
      // Without an id of its own, every delivery of this command names the same order.
      const orderId = givenOrderId ?? orderIdFromCommandId(envelope.id);
      if (lineIdOf(orderId, parsed.data.lines.length - 1).length > MAX_LINE_ID_LENGTH) {
        throw new NonRetryableError(`PlaceOrder refused: orderId: too long to derive line ids from (${orderId.length} characters)`);
      }
      return {
        id: orderId,
        command: placeOrderCommand(orderId, parsed.data, now),
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
    default: {
      const unexpected: never = envelope;
      throw new NonRetryableError(`no handling for ${(unexpected as AnyEnvelope).type} on order.commands`);
    }
  }
}

export const isOrderCommand = (envelope: AnyEnvelope): envelope is OrderCommandEnvelope =>
  envelope.type === 'PlaceOrder' || envelope.type === 'CancelOrder';
