import { describe, expect, it } from '@jest/globals';
import { notificationIdOf, uuidV5 } from './notification-id.js';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidV5', () => {
  it('matches the RFC 9562 example (DNS namespace, "www.example.com")', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('x', 'not-a-uuid')).toThrow(RangeError);
  });
});

describe('notificationIdOf', () => {
  const parts = { sourceEventId: 'evt-1', customerId: 'customer-1', kind: 'backordered', channel: 'in-app' };

  it('is a version-5 UUID and the same for the same parts', () => {
    expect(notificationIdOf(parts)).toMatch(UUID_V5);
    expect(notificationIdOf({ ...parts })).toBe(notificationIdOf(parts));
  });

  it.each(['sourceEventId', 'customerId', 'kind', 'channel'] as const)('changes with %s', (part) => {
    expect(notificationIdOf({ ...parts, [part]: `${parts[part]}-other` })).not.toBe(notificationIdOf(parts));
  });

  it('cannot be made to collide by moving a separator between parts', () => {
    const a = notificationIdOf({ sourceEventId: 'a|b', customerId: 'c', kind: 'k', channel: 'in-app' });
    const b = notificationIdOf({ sourceEventId: 'a', customerId: 'b|c', kind: 'k', channel: 'in-app' });
    expect(a).not.toBe(b);
  });
});
