import { STAFF_SCOPES } from '@fulfillment/contracts';
import { SignJWT } from 'jose';

/**
 * The HS256 secret every service a test spawns verifies tokens with (unless the test gives AUTH_* settings of its
 * own). Tests are not production: a fixed secret keeps tokens reproducible across processes.
 */
export const TEST_AUTH_SECRET = 'fulfillment-backbone-test-secret-0123456789';

let staff: Promise<string> | undefined;

const HOUR = 3600;

function mint(subject: string, scopes: readonly string[], ttlSeconds: number): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: scopes.join(' ') })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(new TextEncoder().encode(TEST_AUTH_SECRET));
}

/**
 * A bearer token the test services accept: every staff scope by default, or the given scopes and subject (a customer
 * token is `{ scopes: ['customer'], subject: customerId }`).
 */
export function testToken(options: { scopes?: readonly string[]; subject?: string; ttlSeconds?: number } = {}): Promise<string> {
  if (options.scopes === undefined && options.subject === undefined && options.ttlSeconds === undefined) {
    staff ??= mint('test-operator', STAFF_SCOPES, 12 * HOUR);
    return staff;
  }
  return mint(options.subject ?? 'test-operator', options.scopes ?? STAFF_SCOPES, options.ttlSeconds ?? 12 * HOUR);
}

export interface HttpAnswer<B = unknown> {
  status: number;
  headers: Headers;
  body: B;
}

export interface HttpOptions {
  body?: unknown;
  /** sent as it is, for malformed-body tests */
  rawBody?: string;
  headers?: Record<string, string>;
  /** the bearer token (default: a staff token with every scope); null sends none */
  token?: string | null;
}

/** One JSON request with a bearer token, the answer parsed when it is JSON. */
export async function httpRequest<B = unknown>(baseUrl: string, method: string, path: string, options: HttpOptions = {}): Promise<HttpAnswer<B>> {
  const token = options.token === undefined ? await testToken() : options.token;
  const headers: Record<string, string> = {
    ...(options.body !== undefined || options.rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    ...options.headers,
  };
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text !== '') body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: body as B };
}

/** The body of a successful answer; a 4xx or 5xx throws with the status and body, which is what a failing test needs. */
export function okBody<B>(answer: HttpAnswer<B>, what = 'request'): B {
  if (answer.status >= 400) throw new Error(`${what} -> ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}
