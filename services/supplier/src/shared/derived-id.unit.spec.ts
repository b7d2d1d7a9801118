import { describe, expect, it } from '@jest/globals';
import { derivedId } from './derived-id.js';

describe('derivedId', () => {
  it('is the same UUID (version 5, RFC variant) for the same name, and another for another name', () => {
    const id = derivedId('replenishment/4f6a');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(derivedId('replenishment/4f6a')).toBe(id);
    expect(derivedId('replenishment/4f6b')).not.toBe(id);
  });
});
