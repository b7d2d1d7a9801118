import { describe, expect, it } from '@jest/globals';
import { skuParamPipe } from './sku.param.js';

describe('the :sku path segment', () => {
  it.each(['SKU-MUG-350-BLUE', 'a', 'sku_1.2:b', 'X'.repeat(100)])('accepts %s', (sku) => {
    expect(skuParamPipe.transform(sku)).toBe(sku);
  });

  it.each(['', ' SKU', 'SKU 1', '-SKU', 'SKU/1', 'SKU%', 'X'.repeat(101), 'ŠKU'])('refuses %j naming the field', (sku) => {
    expect(() => skuParamPipe.transform(sku)).toThrow(expect.objectContaining({ field: 'sku' }));
  });
});
