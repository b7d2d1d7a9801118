import { describe, expect, it } from '@jest/globals';
import { CONTRACT_REGISTRY, createEnvelope, MESSAGE_TYPES, type AnyEnvelope, type MessageType } from '@fulfillment/contracts';
import { isNotificationInputType, NOTIFICATION_INPUT_TYPES } from '@fulfillment/notification-domain';
import { isOrderLineInput, toNotificationInput } from './notification-input.mapper.js';

function envelopeOf(type: MessageType, data?: unknown): AnyEnvelope {
  const example = data ?? CONTRACT_REGISTRY[type].example;
  // createEnvelope is typed per message type; the registry's examples are valid by construction.
  return createEnvelope(type as 'BackInStock', example as never, {
    source: 'test',
    correlationId: 'corr-1',
    time: '2026-11-27T10:00:00.000Z',
  }) as AnyEnvelope;
}

describe('toNotificationInput', () => {
  it.each(NOTIFICATION_INPUT_TYPES.map((type) => [type]))(
    '%s keeps every field of the contract and takes the envelope id and time',
    (type) => {
      const envelope = envelopeOf(type);
      const input = toNotificationInput(envelope);
      expect(input).toEqual({ type, eventId: envelope.id, occurredAt: '2026-11-27T10:00:00.000Z', data: envelope.data });
    },
  );

  it('gives an OrderPlaced without an address a null email', () => {
    const { email: _dropped, ...withoutEmail } = CONTRACT_REGISTRY.OrderPlaced.example;
    const input = toNotificationInput(envelopeOf('OrderPlaced', withoutEmail));
    expect(input?.type).toBe('OrderPlaced');
    expect(input?.data).toEqual({ ...withoutEmail, email: null });
  });

  it.each(MESSAGE_TYPES.filter((type) => !isNotificationInputType(type)).map((type) => [type]))(
    'skips %s, which the domain does not react to',
    (type) => {
      expect(toNotificationInput(envelopeOf(type))).toBeUndefined();
    },
  );

  it('calls only the per-line inventory events order-line inputs (those that may overtake their OrderPlaced)', () => {
    const lineTypes = NOTIFICATION_INPUT_TYPES.filter((type) => isOrderLineInput(toNotificationInput(envelopeOf(type))!));
    expect(lineTypes.sort()).toEqual(['BackorderAllocated', 'BackorderEtaChanged', 'BackorderQueued', 'BackorderReleased', 'StockUnavailable']);
  });
});
