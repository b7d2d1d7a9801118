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
