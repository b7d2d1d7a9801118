import { createEnvelope, type AnyEnvelope } from '@fulfillment/contracts';
import { describe, expect, it } from '@jest/globals';
import { NonRetryableError } from '@fulfillment/messaging';
import { orderIdFromCommandId } from './derived-order-id.js';
import { orderWorkOfCommand, type OrderCommandEnvelope } from './order-commands.mapper.js';

const now = '2026-11-27T10:00:00.000Z';
const lines = [{ sku: 'SKU-A', quantity: 2 }];

const command = (type: OrderCommandEnvelope['type'], data: Record<string, unknown>, id?: string): OrderCommandEnvelope =>
  createEnvelope(type, data as never, { source: 'storefront', correlationId: 'corr-1', causationId: null, ...(id ? { id } : {}) }) as AnyEnvelope as OrderCommandEnvelope;

describe('PlaceOrder from order.commands', () => {
  it('places the order it names, with lines numbered after it', () => {
    const env = command('PlaceOrder', { orderId: 'ord-7', customerId: 'cust-1', email: 'ada@example.com', lines });
    expect(orderWorkOfCommand(env, now)).toEqual({
      id: 'ord-7',
      command: {
        type: 'PlaceOrder',
        data: { orderId: 'ord-7', customerId: 'cust-1', email: 'ada@example.com', lines: [{ lineId: 'ord-7-1', sku: 'SKU-A', quantity: 2 }], now },
      },
      at: now,
      cause: { correlationId: 'corr-1', causationId: env.id },
      // Another command may have taken this id: that is a conflict, not a repeat (no skipIf).
    });
  });

  it('names an order without an id after the envelope id: the same for every delivery, another for another command', () => {
    const id = '5b0e7c1a-8f0e-4c1e-9d2a-3b4c5d6e7f80';
    const first = orderWorkOfCommand(command('PlaceOrder', { customerId: 'cust-1', lines }, id), now);
    const again = orderWorkOfCommand(command('PlaceOrder', { customerId: 'cust-1', lines }, id), now);
    const other = orderWorkOfCommand(command('PlaceOrder', { customerId: 'cust-1', lines }), now);
    expect(first.id).toBe(orderIdFromCommandId(id));
    // The id the release before the shared kernel derived: a command redelivered across the upgrade names its order.
    expect(first.id).toBe('adeec4c1-40c5-5531-a8cb-bf9fc624cb3a');
    expect(again.id).toBe(first.id);
    expect(other.id).not.toBe(first.id);
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Only this command can have placed an order under that id: finding it placed means it is a repeat.
    expect(first.skipIf?.({ status: 'initial' })).toBe(false);
    expect(first.skipIf?.({ status: 'pending' } as never)).toBe(true);
  });

  it('refuses what the HTTP API refuses, naming the field, as a message never to retry', () => {
    const tooMany = Array.from({ length: 101 }, () => ({ sku: 'SKU-A', quantity: 1 }));
    expect(() => orderWorkOfCommand(command('PlaceOrder', { customerId: 'cust-1', lines: tooMany }), now)).toThrow(
      new NonRetryableError('PlaceOrder refused: lines: must have at most 100 lines'),
    );
    expect(() => orderWorkOfCommand(command('PlaceOrder', { customerId: '  ', lines }), now)).toThrow(
      new NonRetryableError('PlaceOrder refused: customerId: must not be blank'),
    );
  });

  it('refuses an order id too long to derive its line ids from', () => {
    const env = command('PlaceOrder', { orderId: 'o'.repeat(199), customerId: 'cust-1', lines });
    expect(() => orderWorkOfCommand(env, now)).toThrow(NonRetryableError);
  });
});

describe('CancelOrder from order.commands', () => {
  it('cancels with the reason given, or the default one', () => {
    expect(orderWorkOfCommand(command('CancelOrder', { orderId: 'ord-7', reason: 'duplicate' }), now).command).toEqual({
      type: 'CancelOrder',
      data: { orderId: 'ord-7', reason: 'duplicate', now },
    });
    expect(orderWorkOfCommand(command('CancelOrder', { orderId: 'ord-7' }), now).command).toMatchObject({
      data: { reason: 'customer-request' },
    });
  });
});

describe('ShipOrder, CancelOrderLine and SubstituteOrderLine from order.commands', () => {
  it('ship the lines named under the shipment id given, null for what the shipper did not tell', () => {
    const env = command('ShipOrder', { orderId: 'ord-7', shipmentId: 'shp-1', lines: [{ lineId: 'ord-7-1', quantity: 2 }], carrier: 'DHL' });
    expect(orderWorkOfCommand(env, now)).toEqual({
      id: 'ord-7',
      command: {
        type: 'ShipOrder',
        data: { orderId: 'ord-7', shipmentId: 'shp-1', lines: [{ lineId: 'ord-7-1', quantity: 2 }], carrier: 'DHL', trackingId: null, now },
      },
      at: now,
      cause: { correlationId: 'corr-1', causationId: env.id },
    });
  });

  it('cancel a line, all of it or a quantity, with the default reason when none is given', () => {
    expect(orderWorkOfCommand(command('CancelOrderLine', { orderId: 'ord-7', lineId: 'ord-7-2' }), now)).toMatchObject({
      id: 'ord-7',
      command: { type: 'CancelOrderLine', data: { orderId: 'ord-7', lineId: 'ord-7-2', reason: 'customer-request', now } },
    });
    expect(orderWorkOfCommand(command('CancelOrderLine', { orderId: 'ord-7', lineId: 'ord-7-2', quantity: 1, reason: 'broken' }), now).command).toEqual({
      type: 'CancelOrderLine',
      data: { orderId: 'ord-7', lineId: 'ord-7-2', quantity: 1, reason: 'broken', now },
    });
  });

  it('substitute a line with the SKU named', () => {
    expect(orderWorkOfCommand(command('SubstituteOrderLine', { orderId: 'ord-7', lineId: 'ord-7-1', sku: 'SKU-B' }), now).command).toEqual({
      type: 'SubstituteOrderLine',
      data: { orderId: 'ord-7', lineId: 'ord-7-1', sku: 'SKU-B', now },
    });
  });

  it.each([
    ['ShipOrder', { orderId: 'o', shipmentId: 's', lines: [{ lineId: 'o-1', quantity: 1 }, { lineId: 'o-1', quantity: 1 }] }, 'ShipOrder refused: lines: must name each line once'],
    ['ShipOrder', { orderId: 'o', shipmentId: ' ', lines: [{ lineId: 'o-1', quantity: 1 }] }, 'ShipOrder refused: shipmentId: must not be blank'],
    ['CancelOrderLine', { orderId: 'o', lineId: 'o-1', reason: '   ' }, 'CancelOrderLine refused: reason: must not be blank'],
    ['SubstituteOrderLine', { orderId: 'o', lineId: 'o-1', sku: ' ' }, 'SubstituteOrderLine refused: sku: must not be blank'],
  ] as const)('refuse %s data the HTTP API would refuse, naming the field, as a message never to retry', (type, data, reason) => {
    expect(() => orderWorkOfCommand(command(type, data), now)).toThrow(new NonRetryableError(reason));
  });
});
