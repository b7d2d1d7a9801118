// SPEC 12 on every route of the four services as processes: a bearer token is required (401), its scope must fit the
// route (403), and a customer token reaches only its own customer's orders and notifications (404 for anybody else's).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, startSystem, testToken, type RunningSystem, type ServiceKey } from '@fulfillment/testing';
import { SignJWT } from 'jose';

interface Route {
  service: ServiceKey;
  method: string;
  path: string;
  body?: unknown;
  /** a staff scope that grants it */
  scope: string;
}

describe('authentication and scopes', () => {
  let system: RunningSystem;
  let adaOrder: string;
  const ada = `cust-ada-${randomUUID()}`;
  const bob = `cust-bob-${randomUUID()}`;

  beforeAll(async () => {
    system = await startSystem({ services: ['order', 'inventory', 'supplier', 'notification'] });
    await system.http('inventory', 'POST', '/skus/SKU-AUTH/adjustments', { body: { delta: 5, reason: 'count' } });
    const placed = await system.http<{ orderId: string }>('order', 'POST', '/orders', {
      body: { customerId: ada, lines: [{ sku: 'SKU-AUTH', quantity: 1 }] },
      token: await testToken({ scopes: ['customer'], subject: ada }),
    });
    expect(placed.status).toBe(202);
    adaOrder = placed.body.orderId;
    // Confirmed once inventory answered, so the customer has a notification to read.
    await eventually(async () => ((await system.http<{ status: string }>('order', 'GET', `/orders/${adaOrder}`)).body.status === 'confirmed' ? true : undefined), {
      timeoutMs: 60_000,
      what: "ada's order confirmed",
    });
  }, 180_000);

  afterAll(() => system?.stop(), 60_000);

  const routes = (): Route[] => [
    { service: 'order', method: 'POST', path: '/orders', body: { customerId: 'c', lines: [{ sku: 'S', quantity: 1 }] }, scope: 'orders:write' },
    { service: 'order', method: 'GET', path: `/orders/${adaOrder}`, scope: 'orders:read' },
    { service: 'order', method: 'GET', path: `/orders?customerId=${ada}`, scope: 'orders:read' },
    { service: 'order', method: 'GET', path: `/orders/${adaOrder}/events`, scope: 'orders:read' },
    { service: 'order', method: 'POST', path: `/orders/${randomUUID()}/cancel`, body: {}, scope: 'orders:write' },
    { service: 'order', method: 'POST', path: `/orders/${randomUUID()}/shipments`, body: { lines: [{ lineId: 'l1', quantity: 1 }] }, scope: 'orders:write' },
    { service: 'order', method: 'POST', path: `/orders/${randomUUID()}/lines/l1/cancel`, body: { quantity: 1 }, scope: 'orders:write' },
    { service: 'order', method: 'POST', path: `/orders/${randomUUID()}/lines/l1/substitute`, body: { sku: 'S2' }, scope: 'orders:write' },
    { service: 'inventory', method: 'GET', path: '/skus/SKU-AUTH', scope: 'inventory:read' },
    { service: 'inventory', method: 'GET', path: '/skus', scope: 'inventory:read' },
    { service: 'inventory', method: 'GET', path: '/reports/backorders', scope: 'inventory:read' },
    { service: 'inventory', method: 'PUT', path: '/skus/SKU-AUTH-2', body: {}, scope: 'inventory:write' },
    { service: 'inventory', method: 'POST', path: '/skus/SKU-AUTH/adjustments', body: { delta: 1, reason: 'count' }, scope: 'inventory:write' },
    { service: 'supplier', method: 'GET', path: '/purchase-orders', scope: 'purchasing:read' },
    { service: 'supplier', method: 'GET', path: '/replenishment-requests', scope: 'purchasing:read' },
    { service: 'supplier', method: 'POST', path: '/purchase-orders', body: { sku: 'S', quantity: 1, expectedAt: new Date(Date.now() + 86_400_000).toISOString() }, scope: 'purchasing:write' },
    { service: 'notification', method: 'GET', path: `/customers/${ada}/notifications`, scope: 'notifications:read' },
  ];

  it('answers 401 without a token, naming Authorization, with a WWW-Authenticate challenge', async () => {
    for (const route of routes()) {
      const answer = await system.http(route.service, route.method, route.path, { body: route.body, token: null });
      expect([route.path, answer.status]).toEqual([route.path, 401]);
      expect(answer.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', field: 'Authorization', code: 'missing' });
      expect(answer.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    }
  });

  it('answers 401 for a token that is not valid, saying why without quoting it', async () => {
    const expired = await testToken({ ttlSeconds: -60 });
    const otherKey = await new SignJWT({ scope: 'orders:read' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-of-at-least-32-characters!'));
    for (const [token, code] of [
      [expired, 'expired'],
      [otherKey, 'bad-signature'],
      ['not.a.jwt', 'malformed'],
    ] as const) {
      const answer = await system.http('order', 'GET', `/orders/${adaOrder}`, { token });
      expect(answer).toMatchObject({ status: 401, body: { code } });
      expect(JSON.stringify(answer.body)).not.toContain(token);
    }
  });

  it('answers 403 for a valid token without the scope a route needs, and lets the right scope through', async () => {
    for (const route of routes()) {
      const unrelated = await testToken({ scopes: [route.scope === 'orders:read' ? 'inventory:read' : 'orders:read'] });
      const refused = await system.http(route.service, route.method, route.path, { body: route.body, token: unrelated });
      expect([route.path, refused.status, (refused.body as { code?: string }).code]).toEqual([route.path, 403, 'insufficient-scope']);
      const granted = await system.http(route.service, route.method, route.path, { body: route.body, token: await testToken({ scopes: [route.scope] }) });
      expect([route.path, granted.status < 400 || granted.status === 404]).toEqual([route.path, true]);
    }
  });

  it('keeps /health, /metrics and /docs open', async () => {
    for (const path of ['/health', '/metrics', '/docs/openapi.json']) {
      expect((await system.http('order', 'GET', path, { token: null })).status).toBe(200);
    }
  });

  it("lets a customer token reach its own orders and notifications, and answers 404 for anybody else's", async () => {
    const asAda = await testToken({ scopes: ['customer'], subject: ada });
    const asBob = await testToken({ scopes: ['customer'], subject: bob });
    expect((await system.http('order', 'GET', `/orders/${adaOrder}`, { token: asAda })).status).toBe(200);
    expect((await system.http('order', 'GET', `/orders/${adaOrder}/events`, { token: asAda })).status).toBe(200);
    const own = await system.http<unknown[]>('notification', 'GET', `/customers/${ada}/notifications`, { token: asAda });
    expect(own.status).toBe(200);
    expect(own.body.length).toBeGreaterThan(0);

    for (const [service, method, path] of [
      ['order', 'GET', `/orders/${adaOrder}`],
      ['order', 'GET', `/orders/${adaOrder}/events`],
      ['order', 'GET', `/orders?customerId=${ada}`],
      ['order', 'POST', `/orders/${adaOrder}/cancel`],
      ['notification', 'GET', `/customers/${ada}/notifications`],
    ] as const) {
      const answer = await system.http(service, method, path, { token: asBob, ...(method === 'POST' ? { body: {} } : {}) });
      expect([path, answer.status]).toEqual([path, 404]);
    }
    // A customer token places orders for its own customer only, and reaches no staff route.
    const forAda = await system.http('order', 'POST', '/orders', { token: asBob, body: { customerId: ada, lines: [{ sku: 'SKU-AUTH', quantity: 1 }] } });
    expect(forAda).toMatchObject({ status: 403, body: { field: 'customerId' } });
    expect((await system.http('inventory', 'GET', '/skus/SKU-AUTH', { token: asBob })).status).toBe(403);
    // Bob's own cancel of Ada's order was refused: it is not cancelled.
    expect((await system.http<{ status: string }>('order', 'GET', `/orders/${adaOrder}`)).body.status).toBe('confirmed');
  });
});
