import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { z } from 'zod';
import {
  checkEvolution,
  contractSnapshot,
  evolveMessage,
  findIncompatibilities,
  readPublishedSchemas,
  registryOf,
  unpublishedSchemas,
  type ContractRegistry,
  type JsonSchema,
  type MessageContract,
  type PublishedSchemas,
} from '../index.js';
import { madeUpEvent } from '../made-up-event.spec-helper.js';

const PUBLISHED_DIR = path.resolve(__dirname, '../../published');

/** What `npm run contracts:publish` would have written for this registry. */
function publishedOf(registry: ContractRegistry): PublishedSchemas {
  const snapshot = JSON.parse(JSON.stringify(contractSnapshot(registry))) as ReturnType<typeof contractSnapshot>;
  return {
    envelope: snapshot.envelope,
    messages: Object.fromEntries(
      Object.entries(snapshot.messages).map(([type, message]) => [
        type,
        Object.fromEntries(Object.entries(message.versions).map(([version, schema]) => [Number(version), schema])),
      ]),
    ),
  };
}

const parcelShape = {
  parcelId: z.string().min(1),
  sku: z.string().min(1).max(100),
  status: z.enum(['packed', 'shipped']),
  carrier: z.string().nullable(),
  weight: z.object({ grams: z.int().positive() }),
  tags: z.array(z.string()),
  lines: z.array(z.object({ sku: z.string(), quantity: z.int().positive() })).min(1),
  note: z.string().optional(),
};

function parcel(schema: z.ZodObject): MessageContract {
  return madeUpEvent('ParcelShipped', 'A parcel left the warehouse.', schema, {}, { key: () => 'SKU-1' });
}

const PUBLISHED_PARCEL = publishedOf(registryOf([parcel(z.object(parcelShape))]));

/** The gate's verdict on v1 of the parcel, published as `parcelShape`, when the registry now has `schema` as v1. */
function gateOnV1(schema: z.ZodObject) {
  return checkEvolution(PUBLISHED_PARCEL, registryOf([parcel(schema)])).map(({ path, rule }) => ({ path, rule }));
}

describe('the real registry', () => {
  const published = readPublishedSchemas(PUBLISHED_DIR);

  it('reads every schema published in libs/contracts/published', () => {
    expect(checkEvolution(published)).toEqual([]);
  });

  it('has every current schema published (else: npm run contracts:publish)', () => {
    expect(unpublishedSchemas(published)).toEqual([]);
  });
});

describe('breaking changes to a published dataversion', () => {
  it('removing a required field fails, naming type, version and path', () => {
    const [violation, ...others] = checkEvolution(PUBLISHED_PARCEL, registryOf([parcel(z.object(parcelShape).omit({ sku: true }))]));
    expect(others).toEqual([]);
    expect(violation).toEqual({
      type: 'ParcelShipped',
      version: 1,
      path: '$.data.sku',
      rule: 'required-field-removed',
      message: 'ParcelShipped v1 $.data.sku: required field removed or renamed; consumers rely on it [required-field-removed]',
    });
  });

  it('renaming a required field fails twice: the old name is gone, the new one is required', () => {
    const { parcelId: _renamed, ...rest } = parcelShape;
    expect(gateOnV1(z.object({ ...rest, id: z.string().min(1) }))).toEqual([
      { path: '$.data.parcelId', rule: 'required-field-removed' },
      { path: '$.data.id', rule: 'required-field-added' },
    ]);
  });

  it('changing a type fails, in nested objects and inside arrays too', () => {
    expect(gateOnV1(z.object({ ...parcelShape, weight: z.object({ grams: z.string() }) }))).toEqual([
      { path: '$.data.weight.grams', rule: 'type-changed' },
    ]);
    expect(gateOnV1(z.object({ ...parcelShape, lines: z.array(z.object({ sku: z.string(), quantity: z.string() })).min(1) }))).toEqual([
      { path: '$.data.lines[*].quantity', rule: 'type-changed' },
    ]);
  });

  it("changing an array's item type fails", () => {
    const [violation] = checkEvolution(PUBLISHED_PARCEL, registryOf([parcel(z.object({ ...parcelShape, tags: z.array(z.number()) }))]));
    expect(violation.message).toBe('ParcelShipped v1 $.data.tags[*]: accepted string, now only number [type-changed]');
  });

  it('narrowing a number to an integer fails', () => {
    const published: JsonSchema = { type: 'object', properties: { price: { type: 'number' } } };
    const current: JsonSchema = { type: 'object', properties: { price: { type: 'integer' } } };
    expect(findIncompatibilities(published, current)).toEqual([
      { path: '$.price', rule: 'type-changed', detail: 'accepted number, now only integer' },
    ]);
  });

  it('adding a required field without a default fails; with a default it passes', () => {
    const [violation] = checkEvolution(PUBLISHED_PARCEL, registryOf([parcel(z.object({ ...parcelShape, depot: z.string() }))]));
    expect(violation.message).toBe(
      'ParcelShipped v1 $.data.depot: new required field without a default; data written before may lack it [required-field-added]',
    );
    expect(gateOnV1(z.object({ ...parcelShape, depot: z.string().default('main') }))).toEqual([]);
  });

  it('making an optional field required fails', () => {
    expect(gateOnV1(z.object({ ...parcelShape, note: z.string() }))).toEqual([{ path: '$.data.note', rule: 'required-field-added' }]);
  });

  it('narrowing an enum fails, naming the value that is gone', () => {
    const [violation] = checkEvolution(PUBLISHED_PARCEL, registryOf([parcel(z.object({ ...parcelShape, status: z.enum(['packed']) }))]));
    expect(violation.message).toBe('ParcelShipped v1 $.data.status: no longer accepts "shipped" [enum-narrowed]');
  });

  it('turning a free string into an enum fails', () => {
    expect(gateOnV1(z.object({ ...parcelShape, sku: z.enum(['SKU-1']) }))).toEqual([{ path: '$.data.sku', rule: 'enum-narrowed' }]);
  });

  it('making a nullable field non-null fails', () => {
    const [violation] = checkEvolution(PUBLISHED_PARCEL, registryOf([parcel(z.object({ ...parcelShape, carrier: z.string() }))]));
    expect(violation.message).toBe('ParcelShipped v1 $.data.carrier: accepted null, now does not [nullable-removed]');
  });

  it('tightening a bound, a length or an item count fails', () => {
    expect(
      gateOnV1(
        z.object({
          ...parcelShape,
          sku: z.string().min(3).max(50),
          weight: z.object({ grams: z.int().min(10) }),
          lines: z.array(z.object({ sku: z.string(), quantity: z.int().positive() })).min(1).max(20),
        }),
      ),
    ).toEqual([
      { path: '$.data.sku', rule: 'constraint-narrowed' },
      { path: '$.data.sku', rule: 'constraint-narrowed' },
      { path: '$.data.weight.grams', rule: 'constraint-narrowed' },
      { path: '$.data.lines', rule: 'constraint-narrowed' },
    ]);
  });

  it('adding a format or changing a pattern fails', () => {
    expect(gateOnV1(z.object({ ...parcelShape, parcelId: z.uuid() }))).toEqual([
      { path: '$.data.parcelId', rule: 'constraint-narrowed' },
      { path: '$.data.parcelId', rule: 'constraint-narrowed' },
    ]);
  });

  it('refusing unknown fields fails', () => {
    expect(gateOnV1(z.strictObject(parcelShape))).toEqual([{ path: '$.data', rule: 'field-refused' }]);
    const { note: _removed, ...withoutNote } = parcelShape;
    expect(gateOnV1(z.strictObject(withoutNote))).toEqual([
      { path: '$.data.note', rule: 'field-refused' },
      { path: '$.data', rule: 'field-refused' },
    ]);
  });

  it('a validating keyword it does not understand fails as unverifiable rather than passing', () => {
    expect(gateOnV1(z.object({ ...parcelShape, weight: z.object({ grams: z.int().positive().multipleOf(5) }) }))).toEqual([
      { path: '$.data.weight.grams', rule: 'unverifiable' },
    ]);
  });
});

describe('compatible changes to a published dataversion', () => {
  it('adding an optional field passes', () => {
    expect(gateOnV1(z.object({ ...parcelShape, insured: z.boolean().optional() }))).toEqual([]);
  });

  it('removing an optional field passes (readers ignore it)', () => {
    const { note: _removed, ...rest } = parcelShape;
    expect(gateOnV1(z.object(rest))).toEqual([]);
  });

  it('widening passes: a new enum value, nullable, optional, looser bounds, no format', () => {
    expect(
      gateOnV1(
        z.object({
          ...parcelShape,
          parcelId: z.string(),
          sku: z.string().max(200),
          status: z.enum(['packed', 'shipped', 'lost']),
          carrier: z.string().nullable().optional(),
          weight: z.object({ grams: z.number().nonnegative() }),
          lines: z.array(z.object({ sku: z.string(), quantity: z.int().positive() })),
        }),
      ),
    ).toEqual([]);
  });

  it('an integer bound written differently but meaning the same passes (> 0 is >= 1)', () => {
    expect(gateOnV1(z.object({ ...parcelShape, weight: z.object({ grams: z.int().min(1) }) }))).toEqual([]);
  });

  it('the unchanged schema passes', () => {
    expect(gateOnV1(z.object(parcelShape))).toEqual([]);
  });
});

describe('a breaking change shipped as a new dataversion', () => {
  const { weight: _weight, ...unchanged } = parcelShape;
  const v1 = parcel(z.object(parcelShape));
  const v2Schema = z.object({ ...unchanged, weightKg: z.number().positive() });
  const v2 = evolveMessage(v1 as MessageContract<'ParcelShipped', z.ZodObject<typeof parcelShape>>, {
    version: 2,
    schema: v2Schema,
    upcast: ({ weight, ...rest }) => ({ ...rest, weightKg: weight.grams / 1000 }),
    key: () => 'SKU-1',
    example: {} as z.output<typeof v2Schema>,
  });

  it('passes: v1 data is read at v1 and upcast to v2', () => {
    expect(checkEvolution(PUBLISHED_PARCEL, registryOf([v2]))).toEqual([]);
    expect(unpublishedSchemas(PUBLISHED_PARCEL, registryOf([v2]))).toEqual([{ type: 'ParcelShipped', version: 2 }]);
  });

  it('fails when the same change is made in place to v1', () => {
    expect(gateOnV1(v2Schema)).toEqual([
      { path: '$.data.weight', rule: 'required-field-removed' },
      { path: '$.data.weightKg', rule: 'required-field-added' },
    ]);
  });

  it('keeps passing transitively: v1 and v2 published, the registry at v3', () => {
    const v3 = evolveMessage(v2, {
      version: 3,
      schema: v2Schema.extend({ depot: z.string() }),
      upcast: (data) => ({ ...data, depot: 'main' }),
      key: () => 'SKU-1',
      example: {} as z.output<typeof v2Schema> & { depot: string },
    });
    expect(checkEvolution(publishedOf(registryOf([v2])), registryOf([v3]))).toEqual([]);
  });

  it('fails when an older published version has no upcaster chain to the current one', () => {
    const withoutUpcasters: MessageContract = { ...v2, upcasters: {} };
    expect(checkEvolution(PUBLISHED_PARCEL, registryOf([withoutUpcasters])).map((v) => v.message)).toEqual([
      'ParcelShipped v1 $: no upcaster from dataversion 1 to 2, so v1 data cannot reach v2 [upcaster-missing]',
    ]);
  });
});

describe('published files the registry does not know', () => {
  it('a published type missing from the registry fails', () => {
    const ghost = madeUpEvent('ParcelLost', 'A parcel was lost.', z.object({ parcelId: z.string() }), { parcelId: 'p-1' }, {
      key: (data) => data.parcelId,
    });
    const published = publishedOf(registryOf([parcel(z.object(parcelShape)), ghost]));
    expect(checkEvolution(published, registryOf([parcel(z.object(parcelShape))])).map((v) => v.message)).toEqual([
      'ParcelLost v1 $: published, but the registry has no such message type [type-unknown]',
    ]);
  });

  it('a published version missing from the registry fails', () => {
    const published: PublishedSchemas = {
      ...PUBLISHED_PARCEL,
      messages: { ParcelShipped: { ...PUBLISHED_PARCEL.messages.ParcelShipped, 2: PUBLISHED_PARCEL.messages.ParcelShipped[1] } },
    };
    expect(checkEvolution(published, registryOf([parcel(z.object(parcelShape))])).map((v) => v.message)).toEqual([
      'ParcelShipped v2 $: published, but the registry has no dataversion 2 (current is 1) [version-unknown]',
    ]);
  });
});

describe('the envelope', () => {
  it('fails when the current envelope refuses what the published one accepted', () => {
    const published = publishedOf(registryOf([]));
    const looser = structuredClone(published.envelope) as { properties: Record<string, { maxLength?: number }> };
    looser.properties.type.maxLength = 1000;
    expect(checkEvolution({ envelope: looser, messages: {} }, registryOf([])).map((v) => v.message)).toEqual([
      'envelope $.type: maxLength 1000 became 500 [constraint-narrowed]',
    ]);
  });

  it('is listed as unpublished before the first publication', () => {
    expect(unpublishedSchemas({ envelope: null, messages: {} }, registryOf([]))).toEqual([{ type: 'envelope', version: null }]);
  });
});

describe('unions', () => {
  it('match branches by type: a string|number field that drops number fails, one that adds boolean passes', () => {
    const published: JsonSchema = { anyOf: [{ type: 'string' }, { type: 'number' }] };
    expect(findIncompatibilities(published, { type: 'string' })).toEqual([
      { path: '$', rule: 'type-changed', detail: 'accepted number, now only string' },
    ]);
    expect(findIncompatibilities(published, { type: ['string', 'number', 'boolean'] })).toEqual([]);
  });

  it('accept a branch that is wider for the same type', () => {
    const published: JsonSchema = { anyOf: [{ type: 'string', maxLength: 5 }, { type: 'null' }] };
    const current: JsonSchema = { anyOf: [{ type: 'string', maxLength: 3 }, { type: 'string' }, { type: 'null' }] };
    expect(findIncompatibilities(published, current)).toEqual([]);
  });

  it('anything to something is a narrowing; something to anything is not', () => {
    expect(findIncompatibilities({}, { type: 'string' })).toEqual([
      { path: '$', rule: 'type-changed', detail: 'accepted any value, now only string' },
    ]);
    expect(findIncompatibilities({ type: 'string' }, { description: 'anything' })).toEqual([]);
  });
});
