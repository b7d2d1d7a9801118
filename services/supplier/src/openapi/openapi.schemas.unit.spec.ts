// The documented request schemas state by hand (`.meta()`) what zod refinements enforce; these properties keep the
// two in step: the document never refuses what the service takes, and refuses what the service refuses by shape.
import { describe, expect, it } from '@jest/globals';
import { openApiSchemaOf } from '@fulfillment/platform';
import fc from 'fast-check';
import { placePurchaseOrderRequest } from '../place-purchase-order/place-purchase-order.request.js';
import { receiveRestockRequest } from '../receive-restock/receive-restock.request.js';
import { changePurchaseOrderEtaRequest } from '../change-purchase-order-eta/change-purchase-order-eta.request.js';

const NOW = new Date('2026-11-27T10:00:00.000Z');
const request = placePurchaseOrderRequest(() => NOW);
const documented = openApiSchemaOf(request, 'input') as {
  additionalProperties: unknown;
  properties: { sku: { pattern: string; maxLength: number }; expectedAt: { pattern: string } };
};
const skuPattern = new RegExp(documented.properties.sku.pattern);
const expectedAtPattern = new RegExp(documented.properties.expectedAt.pattern);
const parses = (body: unknown) => request.safeParse(body).success;

const two = (n: number) => String(n).padStart(2, '0');
/** ISO-8601 spellings of instants inside the window around NOW: a date, or a date-time with a zone and optional seconds. */
const isoSpelling = fc
  .record({
    at: fc.date({ min: new Date('2026-11-01T00:00:00Z'), max: new Date('2028-11-01T00:00:00Z'), noInvalidDate: true }),
    form: fc.constantFrom('date', 'minutes', 'seconds', 'fraction'),
    zone: fc.constantFrom('Z', '+01:00', '-05:30'),
  })
  .map(({ at, form, zone }) => {
    const date = at.toISOString().slice(0, 10);
    if (form === 'date') return date;
    const time = `${two(at.getUTCHours())}:${two(at.getUTCMinutes())}`;
    const seconds = form === 'minutes' ? '' : `:${two(at.getUTCSeconds())}${form === 'fraction' ? '.5' : ''}`;
    return `${date}T${time}${seconds}${zone}`;
  });

describe('documented request schemas', () => {
  it('refuse unknown fields, as the service does by name', () => {
    for (const schema of [request, receiveRestockRequest, changePurchaseOrderEtaRequest(() => NOW)]) {
      expect(openApiSchemaOf(schema, 'input')).toMatchObject({ additionalProperties: false });
    }
    expect(parses({ sku: 'S', quantity: 1, expectedAt: '2026-12-04', price: 3 })).toBe(false);
  });

  it('expectedAt: every value the service takes matches the documented pattern', () => {
    fc.assert(
      fc.property(isoSpelling, (expectedAt) => {
        expect(parses({ sku: 'S', quantity: 1, expectedAt })).toBe(true);
        expect(expectedAt).toMatch(expectedAtPattern);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (expectedAt) => {
        if (parses({ sku: 'S', quantity: 1, expectedAt })) expect(expectedAt).toMatch(expectedAtPattern);
      }),
    );
  });

  it.each(['next tuesday', '04/12/2026', '2026-12-04T09:30:00', '2026-12-04 09:30Z', '20261204'])(
    'expectedAt: %s, refused by the service, does not match the documented pattern either',
    (expectedAt) => {
      expect(parses({ sku: 'S', quantity: 1, expectedAt })).toBe(false);
      expect(expectedAt).not.toMatch(expectedAtPattern);
    },
  );

  it('sku: within the documented length, the service takes exactly what matches the documented pattern', () => {
    const skus = fc.oneof(fc.string({ maxLength: documented.properties.sku.maxLength }), fc.constantFrom(' ', '\t\n', '\u00a0', ' a '));
    fc.assert(
      fc.property(skus, (sku) => {
        expect(parses({ sku, quantity: 1, expectedAt: '2026-12-04' })).toBe(skuPattern.test(sku));
      }),
    );
  });
});
