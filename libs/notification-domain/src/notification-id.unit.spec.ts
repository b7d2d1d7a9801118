import { describe, expect, it } from '@jest/globals';
import { notificationIdOf } from './notification-id.js';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('notificationIdOf', () => {
  const parts = { sourceEventId: 'evt-1', customerId: 'customer-1', kind: 'backordered', channel: 'in-app' };

  it('is the version-5 UUID it was before the kernel took over its derivation', () => {
    expect(notificationIdOf({ sourceEventId: 'e1', customerId: 'c1', kind: 'backordered', channel: 'email' })).toBe(
      'fc1f83f5-98b3-52c7-8662-9f783495d3d5',
    );
  });

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
