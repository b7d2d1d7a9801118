import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { contractSnapshot, createMessageDecoder, evolveMessage, registryOf, TOPICS } from './index.js';
import { rawEnvelope } from './raw-envelope.spec-helper.js';
import { madeUpEvent } from './made-up-event.spec-helper.js';

// A message that went through two published changes: v2 replaced a bare number with a quantity and a unit,
// v3 added a required carrier that v2 producers never sent.
const parcelV1 = madeUpEvent(
  'ParcelWeighed',
  'A parcel was weighed.',
  z.object({ parcelId: z.string(), sku: z.string(), weightGrams: z.int().positive() }),
  { parcelId: 'p-1', sku: 'SKU-1', weightGrams: 1250 },
);

const weight = z.object({ value: z.number().positive(), unit: z.enum(['g', 'kg']) });

const parcelV2 = evolveMessage(parcelV1, {
  version: 2,
  schema: z.object({ parcelId: z.string(), sku: z.string(), weight }),
  upcast: ({ weightGrams, ...rest }) => ({ ...rest, weight: { value: weightGrams, unit: 'g' as const } }),
  key: (data) => data.sku,
  example: { parcelId: 'p-1', sku: 'SKU-1', weight: { value: 1.25, unit: 'kg' } },
});

const parcelV3 = evolveMessage(parcelV2, {
  version: 3,
  schema: z.object({ parcelId: z.string(), sku: z.string(), weight, carrier: z.string() }),
  upcast: (data) => ({ ...data, carrier: 'unknown' }),
  key: (data) => data.sku,
  example: { parcelId: 'p-1', sku: 'SKU-1', weight: { value: 1.25, unit: 'kg' }, carrier: 'DHL' },
});

const SUPPLIER_EVENTS = TOPICS.supplierEvents;

describe('a message with an upcaster', () => {
  const decode = createMessageDecoder(registryOf([parcelV2]));

  it('decodes a v1 message into the v2 shape and says so in dataversion', () => {
    const result = decode(SUPPLIER_EVENTS, rawEnvelope('ParcelWeighed', { parcelId: 'p-9', sku: 'SKU-1', weightGrams: 800 }));
    expect(result).toEqual({
      ok: true,
      envelope: expect.objectContaining({
        type: 'ParcelWeighed',
        dataversion: 2,
        data: { parcelId: 'p-9', sku: 'SKU-1', weight: { value: 800, unit: 'g' } },
      }),
    });
  });

  it('decodes a v2 message as it is', () => {
    const data = { parcelId: 'p-9', sku: 'SKU-1', weight: { value: 0.8, unit: 'kg' } };
    const result = decode(SUPPLIER_EVENTS, rawEnvelope('ParcelWeighed', data, { dataversion: 2 }));
    expect(result.ok && result.envelope).toMatchObject({ dataversion: 2, data });
  });

  it('checks a v1 message against the v1 schema, not the v2 one', () => {
    const result = decode(SUPPLIER_EVENTS, rawEnvelope('ParcelWeighed', { parcelId: 'p-9', sku: 'SKU-1', weightGrams: 0 }));
    expect(result).toEqual({ ok: false, reason: 'data.weightGrams: must be > 0' });
  });

  it('refuses a version newer than it knows', () => {
    const result = decode(SUPPLIER_EVENTS, rawEnvelope('ParcelWeighed', parcelV3.example, { dataversion: 3 }));
    expect(result).toEqual({ ok: false, reason: 'unsupported dataversion 3 for ParcelWeighed' });
  });

  it('publishes both versions for a schema-evolution gate', () => {
    const snapshot = contractSnapshot(registryOf([parcelV2])).messages.ParcelWeighed;
    expect(snapshot.currentVersion).toBe(2);
    expect(Object.keys(snapshot.versions)).toEqual(['1', '2']);
    expect(snapshot.versions['1'].required).toEqual(['parcelId', 'sku', 'weightGrams']);
    expect(snapshot.versions['2'].required).toEqual(['parcelId', 'sku', 'weight']);
  });
});

describe('a chain of upcasters', () => {
  const decode = createMessageDecoder(registryOf([parcelV3]));

  it('takes a v1 message through every step to the current version', () => {
    const result = decode(SUPPLIER_EVENTS, rawEnvelope('ParcelWeighed', { parcelId: 'p-2', sku: 'SKU-1', weightGrams: 5 }));
    expect(result.ok && result.envelope).toMatchObject({
      dataversion: 3,
      data: { parcelId: 'p-2', sku: 'SKU-1', weight: { value: 5, unit: 'g' }, carrier: 'unknown' },
    });
  });

  it('keeps every published schema addressable by version', () => {
    expect(Object.keys(parcelV3.versions)).toEqual(['v1', 'v2', 'v3']);
    expect(parcelV3.versions.v1).toBe(parcelV1.schema);
  });
});

describe('a faulty upcaster', () => {
  it('turns a throw into a reason instead of crashing the consumer', () => {
    const broken = evolveMessage(parcelV1, {
      ...parcelV2Definition(),
      upcast: () => {
        throw new Error('no unit known for legacy weights');
      },
    });
    const result = createMessageDecoder(registryOf([broken]))(SUPPLIER_EVENTS, rawEnvelope('ParcelWeighed', parcelV1.example));
    expect(result).toEqual({
      ok: false,
      reason: 'upcasting ParcelWeighed from dataversion 1 to 2 failed: no unit known for legacy weights',
    });
  });

  it('is caught when its output does not satisfy the next version', () => {
    const sloppy = evolveMessage(parcelV1, {
      ...parcelV2Definition(),
      upcast: ({ weightGrams, ...rest }) => ({ ...rest, weight: { value: weightGrams, unit: 'grams' as 'g' } }),
    });
    const result = createMessageDecoder(registryOf([sloppy]))(SUPPLIER_EVENTS, rawEnvelope('ParcelWeighed', parcelV1.example));
    expect(result).toEqual({
      ok: false,
      reason: 'upcasting ParcelWeighed from dataversion 1 to 2 produced invalid data: data.weight.unit: must be one of "g", "kg"',
    });
  });
});

describe('evolveMessage', () => {
  it('refuses to skip a version', () => {
    expect(() => evolveMessage(parcelV1, { ...parcelV2Definition(), version: 3 })).toThrow(
      'ParcelWeighed: dataversion 3 cannot follow 1; versions go up by one',
    );
  });

  it('keeps type, kind and topic', () => {
    expect(parcelV3).toMatchObject({ type: 'ParcelWeighed', kind: 'event', topic: SUPPLIER_EVENTS, currentVersion: 3 });
  });
});

function parcelV2Definition() {
  return {
    version: 2,
    schema: parcelV2.schema,
    upcast: (data: z.output<typeof parcelV1.schema>) => ({ ...data, weight: { value: data.weightGrams, unit: 'g' as const } }),
    key: (data: z.output<typeof parcelV2.schema>) => data.sku,
    example: parcelV2.example,
  };
}
