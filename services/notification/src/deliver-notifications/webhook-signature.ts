import { createHmac } from 'node:crypto';

// Standard Webhooks (https://www.standardwebhooks.com): the signature covers the message id, the timestamp and the
// body together, so a captured request can be neither replayed later (the timestamp is checked) nor re-sent under
// another id (the id is the receiver's de-duplication key).

export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

const SECRET_PREFIX = 'whsec_';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Why a WEBHOOK_SECRET cannot be used, or undefined when it can. */
export function webhookSecretProblem(secret: string): string | undefined {
  if (!secret.startsWith(SECRET_PREFIX)) return undefined;
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!BASE64.test(encoded)) return `after "${SECRET_PREFIX}" must be base64`;
  if (Buffer.from(encoded, 'base64').length < 16) return `after "${SECRET_PREFIX}" must encode at least 16 bytes`;
  return undefined;
}

/**
 * The HMAC key of a secret: `whsec_<base64>` as Standard Webhooks issues secrets, else the string's own UTF-8 bytes
 * (which the official libraries take as `new Webhook(Buffer.from(secret), { format: 'raw' })`).
 */
export function webhookKey(secret: string): Buffer {
  const problem = webhookSecretProblem(secret);
  if (problem !== undefined) throw new Error(`WEBHOOK_SECRET ${problem}`);
  return secret.startsWith(SECRET_PREFIX) ? Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64') : Buffer.from(secret, 'utf8');
}

/** `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, the timestamp in Unix seconds. */
export function signWebhook(key: Buffer, id: string, timestampSeconds: number, body: string | Buffer): string {
  const mac = createHmac('sha256', key).update(`${id}.${timestampSeconds}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

/** The three headers of one delivery attempt: sent now, signed now, under the delivery's stable id. */
export function webhookHeaders(key: Buffer, id: string, body: string | Buffer, now: Date = new Date()): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    [WEBHOOK_HEADERS.id]: id,
    [WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [WEBHOOK_HEADERS.signature]: signWebhook(key, id, timestamp, body),
  };
}
