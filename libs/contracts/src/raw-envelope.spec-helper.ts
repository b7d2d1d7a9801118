import { randomUUID } from 'node:crypto';

/**
 * An envelope as a foreign producer might write it, bypassing createEnvelope, so decoding can be fed anything.
 * `undefined` in `overrides` removes an attribute.
 */
export function rawEnvelope(type: string, data: unknown, overrides: Record<string, unknown> = {}): string {
  const envelope: Record<string, unknown> = {
    specversion: '1.0',
    id: randomUUID(),
    type,
    dataversion: 1,
    source: 'test-producer',
    subject: 'subject-1',
    time: '2026-11-27T10:00:00.000Z',
    datacontenttype: 'application/json',
    correlationid: 'corr-1',
    causationid: null,
    data,
    ...overrides,
  };
  return JSON.stringify(envelope);
}
