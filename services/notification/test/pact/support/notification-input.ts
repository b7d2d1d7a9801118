import { expect } from '@jest/globals';
import type { AnyEnvelope } from '@fulfillment/contracts';
import { isNotificationInputType, type NotificationInput } from '@fulfillment/notification-domain';
import { toNotificationInput } from '../../../src/notify-customer/notification-input.mapper.js';

/** What NotifyCustomerHandler hands the domain for one message: undefined for a type it skips. */
export function inputFor(envelope: AnyEnvelope): NotificationInput | undefined {
  return isNotificationInputType(envelope.type) ? toNotificationInput(envelope) : undefined;
}

/** Asserts that the handler hands the domain the message as an input of its type, at its time, carrying `data`. */
export function expectInput(envelope: AnyEnvelope, data: unknown): void {
  expect(inputFor(envelope)).toEqual({ type: envelope.type, eventId: envelope.id, occurredAt: envelope.time, data });
}
