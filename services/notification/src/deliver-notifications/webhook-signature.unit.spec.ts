import { describe, expect, it } from '@jest/globals';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { signWebhook, WEBHOOK_HEADERS, webhookHeaders, webhookKey, webhookSecretProblem } from './webhook-signature.js';

// The receiver's side is the official Standard Webhooks library: what it accepts is what interoperates.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const body = '{"id":"n-1","kind":"backorder-allocated"}';

describe('Standard Webhooks signatures', () => {
  it('match the example of the Standard Webhooks specification', () => {
    expect(signWebhook(webhookKey(SECRET), 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('are accepted by the official library, with a whsec_ secret and with a raw one', () => {
    expect(new Webhook(SECRET).verify(body, webhookHeaders(webhookKey(SECRET), 'n-1', body))).toEqual(JSON.parse(body));
    const raw = 'a-shared-secret-of-some-length';
    const receiver = new Webhook(Buffer.from(raw, 'utf8'), { format: 'raw' });
    expect(receiver.verify(body, webhookHeaders(webhookKey(raw), 'n-1', body))).toEqual(JSON.parse(body));
  });

  it('cover the id, the timestamp and the body: changing any one fails verification', () => {
    const receiver = new Webhook(SECRET);
    const headers = webhookHeaders(webhookKey(SECRET), 'n-1', body);
    expect(() => receiver.verify(body.replace('n-1', 'n-2'), headers)).toThrow(WebhookVerificationError);
    expect(() => receiver.verify(body, { ...headers, [WEBHOOK_HEADERS.id]: 'n-2' })).toThrow('No matching signature found');
    const later = String(Number(headers[WEBHOOK_HEADERS.timestamp]) + 1);
    expect(() => receiver.verify(body, { ...headers, [WEBHOOK_HEADERS.timestamp]: later })).toThrow('No matching signature found');
    expect(() => new Webhook('whsec_b3RoZXItc2VjcmV0LW9mLTI0LWJ5dGVz').verify(body, headers)).toThrow('No matching signature found');
  });

  it('carry the time of the attempt, which a receiver refuses when it is old (replay)', () => {
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    const headers = webhookHeaders(webhookKey(SECRET), 'n-1', body, tenMinutesAgo);
    expect(headers[WEBHOOK_HEADERS.timestamp]).toBe(String(Math.floor(tenMinutesAgo.getTime() / 1000)));
    expect(() => new Webhook(SECRET).verify(body, headers)).toThrow('Message timestamp too old');
  });

  it('refuse a whsec_ secret that is not base64 or too short, and take any other string as it is', () => {
    expect(webhookSecretProblem('whsec_not base64!')).toBe('after "whsec_" must be base64');
    expect(webhookSecretProblem('whsec_c2hvcnQ=')).toBe('after "whsec_" must encode at least 16 bytes');
    expect(webhookSecretProblem(SECRET)).toBeUndefined();
    expect(webhookSecretProblem('sixteen-chars-ok')).toBeUndefined();
    expect(() => webhookKey('whsec_c2hvcnQ=')).toThrow('WEBHOOK_SECRET after "whsec_" must encode at least 16 bytes');
    expect(webhookKey('sixteen-chars-ok')).toEqual(Buffer.from('sixteen-chars-ok'));
  });
});
