import { httpErrorOf, ZodValidationPipe } from '@fulfillment/platform';
import { describe, expect, it } from '@jest/globals';
import { cancelOrderLineCommand } from '../cancel-order-line/cancel-order-line.command.js';
import { cancelOrderLineRequestSchema } from '../cancel-order-line/cancel-order-line.request.js';
import { substituteOrderLineRequestSchema } from '../substitute-order-line/substitute-order-line.request.js';
import { shipOrderCommand } from './ship-order.command.js';
import { shipOrderRequestSchema } from './ship-order.request.js';

const NOW = '2026-11-27T10:00:00.000Z';

function rejection(schema: ConstructorParameters<typeof ZodValidationPipe>[0], body: unknown) {
  try {
    new ZodValidationPipe(schema).transform(body);
  } catch (error) {
    return httpErrorOf(error);
  }
  throw new Error('the body was accepted');
}

describe('POST /orders/:orderId/shipments body', () => {
  const valid = { lines: [{ lineId: 'o-1-1', quantity: 2 }] };

  it('accepts a shipment with or without its id, carrier and tracking id', () => {
    expect(shipOrderRequestSchema.parse(valid)).toEqual(valid);
    const full = { ...valid, shipmentId: 'shp-1', carrier: 'DHL', trackingId: 'JD0146' };
    expect(shipOrderRequestSchema.parse(full)).toEqual(full);
  });

  it.each([
    ['lines', {}, 'lines: is required'],
    ['lines', { lines: [] }, 'lines: must have at least one line'],
    ['lines', { lines: [{ lineId: 'a', quantity: 1 }, { lineId: 'a', quantity: 2 }] }, 'lines: must name each line once'],
    ['lines[0].lineId', { lines: [{ lineId: ' ', quantity: 1 }] }, 'lines[0].lineId: must not be blank'],
    ['lines[0].quantity', { lines: [{ lineId: 'a', quantity: 0 }] }, 'lines[0].quantity: must be a positive integer'],
    ['lines[0].quantity', { lines: [{ lineId: 'a' }] }, 'lines[0].quantity: is required'],
    ['shipmentId', { ...valid, shipmentId: '' }, 'shipmentId: must not be blank'],
    ['carrier', { ...valid, carrier: 7 }, 'carrier: must be a string'],
    ['trackingId', { ...valid, trackingId: 'x'.repeat(201) }, 'trackingId: must have at most 200 characters'],
    ['lines[0]', { lines: [{ lineId: 'a', quantity: 1, sku: 'S' }] }, expect.stringContaining('lines[0]')],
    ['body', { ...valid, courier: 'DHL' }, expect.stringContaining('body')],
  ])('names %s when it is wrong', (field, body, message) => {
    expect(rejection(shipOrderRequestSchema, body)).toEqual({ statusCode: 400, error: 'Bad Request', message, field });
  });

  it('becomes a ShipOrder with null for what the shipper did not tell', () => {
    expect(shipOrderCommand('o-1', 'shp-1', valid, NOW)).toEqual({
      type: 'ShipOrder',
      data: { orderId: 'o-1', shipmentId: 'shp-1', lines: [{ lineId: 'o-1-1', quantity: 2 }], carrier: null, trackingId: null, now: NOW },
    });
  });
});

describe('POST /orders/:orderId/lines/:lineId/cancel body', () => {
  it('needs no body, and takes a quantity and a reason', () => {
    expect(cancelOrderLineRequestSchema.parse(undefined)).toEqual({});
    expect(cancelOrderLineRequestSchema.parse({ quantity: 2, reason: 'too many' })).toEqual({ quantity: 2, reason: 'too many' });
  });

  it.each([
    ['quantity', { quantity: 0 }, 'quantity: must be a positive integer'],
    ['quantity', { quantity: 1.5 }, 'quantity: must be a positive integer'],
    ['reason', { reason: '  ' }, 'reason: must not be blank'],
    ['body', { qty: 1 }, expect.stringContaining('body')],
  ])('names %s when it is wrong', (field, body, message) => {
    expect(rejection(cancelOrderLineRequestSchema, body)).toEqual({ statusCode: 400, error: 'Bad Request', message, field });
  });

  it('becomes a CancelOrderLine: every unit left without a quantity, the default reason without one', () => {
    expect(cancelOrderLineCommand('o-1', 'o-1-2', {}, NOW)).toEqual({
      type: 'CancelOrderLine',
      data: { orderId: 'o-1', lineId: 'o-1-2', reason: 'customer-request', now: NOW },
    });
    expect(cancelOrderLineCommand('o-1', 'o-1-2', { quantity: 1, reason: 'broken' }, NOW).data).toMatchObject({ quantity: 1, reason: 'broken' });
  });
});

describe('POST /orders/:orderId/lines/:lineId/substitute body', () => {
  it.each([
    ['sku', {}, 'sku: is required'],
    ['sku', { sku: '' }, 'sku: must not be blank'],
    ['sku', { sku: 'S'.repeat(101) }, 'sku: must have at most 100 characters'],
    ['body', undefined, 'body: is required'],
    ['body', { sku: 'A', quantity: 1 }, expect.stringContaining('body')],
  ])('names %s when it is wrong', (field, body, message) => {
    expect(rejection(substituteOrderLineRequestSchema, body)).toEqual({ statusCode: 400, error: 'Bad Request', message, field });
  });
});
