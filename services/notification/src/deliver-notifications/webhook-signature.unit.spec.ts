import { describe, expect, it } from '@jest/globals';
import { signWebhookBody, verifyWebhookSignature } from './webhook-signature.js';

describe('webhook signatures', () => {
  it('are the hex HMAC-SHA256 of the body (RFC 4231 test case 2)', () => {
    expect(signWebhookBody('what do ya want for nothing?', 'Jefe')).toBe(
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('verify only for the same body and secret', () => {
    const body = '{"id":"n1"}';
    const header = signWebhookBody(body, 'a-secret-of-16-chars');
    expect(verifyWebhookSignature(body, header, 'a-secret-of-16-chars')).toBe(true);
    expect(verifyWebhookSignature('{"id":"n2"}', header, 'a-secret-of-16-chars')).toBe(false);
    expect(verifyWebhookSignature(body, header, 'another-secret-16ch')).toBe(false);
    expect(verifyWebhookSignature(body, undefined, 'a-secret-of-16-chars')).toBe(false);
    expect(verifyWebhookSignature(body, 'sha256=short', 'a-secret-of-16-chars')).toBe(false);
  });
});
