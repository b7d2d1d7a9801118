import { describe, expect, it } from '@jest/globals';
import { describeDeliveryError, redactEmails } from './delivery-error.js';

describe('describeDeliveryError', () => {
  it('removes addresses an SMTP reply echoes', () => {
    const error = Object.assign(new Error("Can't send mail - all recipients were rejected: 550 5.1.1 <ada.lovelace@example.com>: unknown"), {
      code: 'EENVELOPE',
      responseCode: 550,
    });
    const text = describeDeliveryError(error);
    expect(text).toBe("EENVELOPE 550: Can't send mail - all recipients were rejected: 550 5.1.1 <[email]>: unknown");
  });

  it("names fetch's cause, which holds the actual reason", () => {
    const error = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
    expect(describeDeliveryError(error)).toBe('TypeError: fetch failed (ECONNREFUSED)');
  });

  it('names an error class more specific than Error', () => {
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    expect(describeDeliveryError(timeout)).toBe('TimeoutError: The operation was aborted due to timeout');
    expect(describeDeliveryError(new Error('plain'))).toBe('plain');
  });

  it('is one bounded line', () => {
    const text = describeDeliveryError(new Error(`first\nsecond ${'x'.repeat(1000)}`));
    expect(text).not.toContain('\n');
    expect(text.length).toBeLessThanOrEqual(500);
  });

  it('describes what is not an error too', () => {
    expect(describeDeliveryError('refused by bob@example.org')).toBe('refused by [email]');
  });
});

describe('redactEmails', () => {
  it('leaves text without an address as it is', () => {
    expect(redactEmails('ECONNREFUSED 127.0.0.1:1025')).toBe('ECONNREFUSED 127.0.0.1:1025');
  });
});
