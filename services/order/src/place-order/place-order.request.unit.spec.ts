import { httpErrorOf, ZodValidationPipe } from '@fulfillment/platform';
import { describe, expect, it } from '@jest/globals';
import { legacyPlaceOrderFingerprint, placeOrderCommand } from './place-order.command.js';
import { placeOrderRequestSchema, type PlaceOrderRequest } from './place-order.request.js';

const valid = { customerId: 'cust-1', email: 'ada@example.com', lines: [{ sku: 'SKU-1', quantity: 2 }] };
const LEGACY_VALID_FINGERPRINT = 'd36fbd8e4933ede213f76b12ce51a98397f9d4201922401597eff818f937997d';

function rejection(body: unknown, pipe: { transform(value: unknown): unknown } = new ZodValidationPipe(placeOrderRequestSchema)) {
  try {
    pipe.transform(body);
  } catch (error) {
    return httpErrorOf(error);
  }
  throw new Error('the body was accepted');
}

describe('POST /orders body', () => {
  it('accepts either shipping policy, and no policy at all (the domain then ships as available)', () => {
    expect(placeOrderRequestSchema.parse({ ...valid, shipping: 'when-complete' })).toEqual({ ...valid, shipping: 'when-complete' });
    expect(placeOrderRequestSchema.parse({ ...valid, shipping: 'as-available' })).toMatchObject({ shipping: 'as-available' });
    expect(placeOrderRequestSchema.parse(valid)).not.toHaveProperty('shipping');
  });

  it('accepts an order with and without an email', () => {
    expect(placeOrderRequestSchema.parse(valid)).toEqual(valid);
    const { email: _email, ...withoutEmail } = valid;
    expect(placeOrderRequestSchema.parse(withoutEmail)).toEqual(withoutEmail);
  });

  it.each([
    ['customerId', { ...valid, customerId: undefined }, 'customerId: is required'],
    ['customerId', { ...valid, customerId: '' }, 'customerId: must not be blank'],
    ['customerId', { ...valid, customerId: '   ' }, 'customerId: must not be blank'],
    ['customerId', { ...valid, customerId: 42 }, 'customerId: must be a string'],
    ['email', { ...valid, email: 'not-an-address' }, 'email: must be an email address'],
    ['lines', { ...valid, lines: undefined }, 'lines: is required'],
    ['lines', { ...valid, lines: [] }, 'lines: must have at least one line'],
    ['lines', { ...valid, lines: Array.from({ length: 101 }, () => ({ sku: 'S', quantity: 1 })) }, 'lines: must have at most 100 lines'],
    ['lines[0].sku', { ...valid, lines: [{ sku: '', quantity: 1 }] }, 'lines[0].sku: must not be blank'],
    ['lines[1].sku', { ...valid, lines: [{ sku: 'A', quantity: 1 }, { quantity: 1 }] }, 'lines[1].sku: is required'],
    ['lines[0].quantity', { ...valid, lines: [{ sku: 'A', quantity: 0 }] }, 'lines[0].quantity: must be a positive integer'],
    ['lines[0].quantity', { ...valid, lines: [{ sku: 'A', quantity: 1.5 }] }, 'lines[0].quantity: must be a positive integer'],
    ['lines[0].quantity', { ...valid, lines: [{ sku: 'A', quantity: '2' }] }, 'lines[0].quantity: must be a positive integer'],
    ['lines[0].quantity', { ...valid, lines: [{ sku: 'A' }] }, 'lines[0].quantity: is required'],
    ['lines[0]', { ...valid, lines: ['SKU-1'] }, 'lines[0]: must be an object {sku, quantity}'],
    ['shipping', { ...valid, shipping: 'asap' }, 'shipping: must be one of as-available, when-complete'],
    ['shipping', { ...valid, shipping: null }, 'shipping: must be one of as-available, when-complete'],
  ])('names %s when it is wrong', (field, body, message) => {
    expect(rejection(body)).toEqual({ statusCode: 400, error: 'Bad Request', message, field });
  });

  it('refuses a field it does not know, so a misspelt one is not silently dropped', () => {
    expect(rejection({ ...valid, lines: [{ sku: 'A', quantity: 1, qty: 3 }] })).toMatchObject({ field: 'lines[0]' });
    expect(rejection({ ...valid, customer: 'x' })).toMatchObject({ field: 'body' });
  });

  it('calls a body that is not an object by its name', () => {
    expect(rejection(undefined)).toMatchObject({ field: 'body', message: 'body: is required' });
    expect(rejection([valid])).toMatchObject({ field: 'body', message: 'body: must be a JSON object' });
  });

  it('never quotes the email address it refuses', () => {
    const response = rejection({ ...valid, email: 'ada.lovelace@@example.com' });
    expect(JSON.stringify(response)).not.toContain('lovelace');
  });
});

describe('placeOrderCommand', () => {
  it('numbers the lines after the order id, in request order', () => {
    const request: PlaceOrderRequest = { customerId: 'c', lines: [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 3 }] };
    expect(placeOrderCommand('o-1', request, '2026-11-27T10:00:00.000Z')).toEqual({
      type: 'PlaceOrder',
      data: {
        orderId: 'o-1',
        customerId: 'c',
        email: null,
        lines: [
          { lineId: 'o-1-1', sku: 'A', quantity: 1 },
          { lineId: 'o-1-2', sku: 'B', quantity: 3 },
        ],
        now: '2026-11-27T10:00:00.000Z',
      },
    });
  });
});

describe('placeOrderCommand with a shipping policy', () => {
  it('passes the policy given, and leaves it out when none was given', () => {
    const request: PlaceOrderRequest = { customerId: 'c', lines: [{ sku: 'A', quantity: 1 }], shipping: 'when-complete' };
    expect(placeOrderCommand('o-1', request, '2026-11-27T10:00:00.000Z').data).toMatchObject({ shipping: 'when-complete' });
    const { shipping: _shipping, ...without } = request;
    expect(placeOrderCommand('o-1', without, '2026-11-27T10:00:00.000Z').data).not.toHaveProperty('shipping');
  });
});

describe('legacyPlaceOrderFingerprint', () => {
  it('is the fingerprint the release before recorded: keys it stored still match a retry of the same request', () => {
    // The value the former requestFingerprint gave for `valid`.
    expect(legacyPlaceOrderFingerprint(valid)).toBe(LEGACY_VALID_FINGERPRINT);
    const reordered = { lines: [{ quantity: 2, sku: 'SKU-1' }], email: 'ada@example.com', customerId: 'cust-1' };
    expect(legacyPlaceOrderFingerprint(reordered)).toBe(legacyPlaceOrderFingerprint(valid));
    expect(legacyPlaceOrderFingerprint({ ...valid, lines: [{ sku: 'SKU-1', quantity: 3 }] })).not.toBe(LEGACY_VALID_FINGERPRINT);
    expect(legacyPlaceOrderFingerprint({ nonsense: true })).toBe('');
  });

  it('tells a request with a shipping policy from the same request without one', () => {
    // The release before knew no policy: a key it recorded belongs to a request without one.
    expect(legacyPlaceOrderFingerprint({ ...valid, shipping: 'when-complete' })).not.toBe(LEGACY_VALID_FINGERPRINT);
    expect(legacyPlaceOrderFingerprint({ ...valid, shipping: 'as-available' })).not.toBe(legacyPlaceOrderFingerprint({ ...valid, shipping: 'when-complete' }));
  });
});
