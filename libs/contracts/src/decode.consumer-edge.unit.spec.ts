import { describe, expect, it } from '@jest/globals';
import { CONTRACT_REGISTRY, decodeMessage, decodeWanted } from './index.js';
import { rawEnvelope } from './raw-envelope.spec-helper.js';

const INVENTORY_EVENTS = 'inventory.events';
const wanted = new Set(['ReplenishmentRequested']);
const example = (type: keyof typeof CONTRACT_REGISTRY) => structuredClone(CONTRACT_REGISTRY[type].example);

describe('decodeWanted: a consumer that reads some types of a topic', () => {
  it('decodes a wanted type exactly as decodeMessage does', () => {
    const value = rawEnvelope('ReplenishmentRequested', example('ReplenishmentRequested'), { id: 'r-1' });
    expect(decodeWanted(INVENTORY_EVENTS, value, {}, wanted)).toEqual(decodeMessage(INVENTORY_EVENTS, value, {}));
    expect(decodeWanted(INVENTORY_EVENTS, value, {}, wanted).ok).toBe(true);
  });

  it('skips another known type of the topic without validating it: even broken data is not judged', () => {
    expect(decodeWanted(INVENTORY_EVENTS, rawEnvelope('StockReserved', example('StockReserved')), {}, wanted)).toEqual({ ok: 'skipped', type: 'StockReserved' });
    // Not this consumer's to refuse: the consumers of StockReserved dead-letter it.
    expect(decodeWanted(INVENTORY_EVENTS, rawEnvelope('StockReserved', { quantity: 'lots' }, { correlationid: 42 }), {}, wanted)).toEqual({
      ok: 'skipped',
      type: 'StockReserved',
    });
  });

  it('judges in full what it cannot tell is an unwanted event of the topic', () => {
    const refused = (value: string) => {
      const result = decodeWanted(INVENTORY_EVENTS, value, {}, wanted);
      if (result.ok !== false) throw new Error(`expected a refusal, got ${JSON.stringify(result)}`);
      return result.reason;
    };
    expect(refused('{not json')).toMatch(/not valid JSON/);
    expect(refused(rawEnvelope('NoSuchEvent', {}))).toBe('unknown type "NoSuchEvent" on topic inventory.events');
    expect(refused(rawEnvelope('OrderPlaced', example('OrderPlaced')))).toBe('type OrderPlaced does not belong on topic inventory.events');
    expect(refused(rawEnvelope('ReplenishmentRequested', { sku: 7 }))).toMatch(/sku/);
  });

  it('reads the type of a binary-mode record from its ce_type header', () => {
    const headers = { ce_specversion: '1.0', ce_id: 'b-1', ce_source: 'elsewhere', ce_type: 'BackInStock', 'content-type': 'application/json' };
    expect(decodeWanted(INVENTORY_EVENTS, JSON.stringify(example('BackInStock')), { headers }, wanted)).toEqual({ ok: 'skipped', type: 'BackInStock' });
  });
});

describe('decodeMessage: strings PostgreSQL cannot store are refused at the edge, naming the field', () => {
  const reason = (value: string, headers?: Record<string, string>) => {
    const result = decodeMessage('order.events', value, headers ? { headers } : {});
    return result.ok ? 'decoded' : result.reason;
  };
  const placed = () => structuredClone(CONTRACT_REGISTRY.OrderPlaced.example);

  it('a NUL or a lone surrogate in the data, in an attribute, in a field name, or in binary-mode data or headers', () => {
    const withSku = (sku: string) => {
      const data = placed();
      data.lines[0]!.sku = sku;
      return rawEnvelope('OrderPlaced', data);
    };
    expect(reason(withSku('SKU\u0000'))).toBe('data.lines[0].sku: must not contain a NUL character');
    expect(reason(withSku('SKU\uD800'))).toBe('data.lines[0].sku: must be valid Unicode (no lone surrogate)');
    expect(reason(rawEnvelope('OrderPlaced', placed(), { subject: 'a\u0000b' }))).toBe('subject: must not contain a NUL character');
    expect(reason(rawEnvelope('OrderPlaced', { ...placed(), ['x\u0000']: 1 }))).toBe('data: field names must not contain a NUL character');
    const binary = { ce_specversion: '1.0', ce_id: 'b-1', ce_source: 'elsewhere', ce_type: 'OrderPlaced' };
    expect(reason(JSON.stringify({ ...placed(), customerId: '\u0000' }), binary)).toBe('data.customerId: must not contain a NUL character');
    expect(reason(JSON.stringify(placed()), { ...binary, ce_subject: 'x\u0000' })).toBe('header "ce_subject": must not contain a NUL character');
  });

  it('while a surrogate pair (an emoji, escaped or not) is fine', () => {
    const data = placed();
    data.lines[0]!.sku = 'SKU-\uD83D\uDE00';
    expect(reason(rawEnvelope('OrderPlaced', data))).toBe('decoded');
    expect(reason(rawEnvelope('OrderPlaced', data).replace('\uD83D\uDE00', '\\ud83d\\ude00'))).toBe('decoded');
  });
});
