// The OpenAPI documents cannot drift from the services: what each service serves is the committed
// docs/openapi/<service>.json, it names every docs/domain-rules.md endpoint, and its schemas answer as the service does: a body the
// documented schema refuses is refused with 400, and one it accepts is not, answered with a documented status and body.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { repoRoot, startSystem, type RunningSystem, type ServiceKey } from '@fulfillment/testing';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
interface Operation {
  parameters?: { name: string; in: string; schema?: JsonObject }[];
  requestBody?: { content: { 'application/json': { schema: JsonObject } } };
  responses: Record<string, { content?: { 'application/json'?: { schema: JsonObject } } }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
}

const SERVICES: ServiceKey[] = ['order', 'inventory', 'supplier', 'notification'];

/** docs/domain-rules.md's HTTP interface (plus /health and /metrics, which every service answers) and the success status it names. */
const SPEC_ENDPOINTS: Record<ServiceKey, [method: string, path: string, status: number][]> = {
  order: [
    ['POST', '/orders', 202],
    ['GET', '/orders/{orderId}', 200],
    ['POST', '/orders/{orderId}/cancel', 202],
    ['GET', '/orders/{orderId}/events', 200],
    ['POST', '/orders/{orderId}/shipments', 201],
    ['POST', '/orders/{orderId}/lines/{lineId}/cancel', 202],
    ['POST', '/orders/{orderId}/lines/{lineId}/substitute', 202],
  ],
  inventory: [
    ['PUT', '/skus/{sku}', 200],
    ['POST', '/skus/{sku}/adjustments', 202],
    ['GET', '/skus/{sku}', 200],
    ['GET', '/skus', 200],
    ['GET', '/reports/backorders', 200],
  ],
  supplier: [
    ['POST', '/purchase-orders', 201],
    ['PATCH', '/purchase-orders/{id}', 200],
    ['POST', '/purchase-orders/{id}/receipts', 202],
    ['GET', '/purchase-orders/{id}', 200],
    ['GET', '/replenishment-requests', 200],
  ],
  notification: [['GET', '/customers/{customerId}/notifications', 200]],
};
const OPERATIONS_ENDPOINTS: [string, string, number][] = [
  ['GET', '/health', 200],
  ['GET', '/metrics', 200],
];

const run = randomUUID().slice(0, 8);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

interface BodyCase {
  service: ServiceKey;
  method: string;
  /** a concrete path; `{purchaseOrderId}` stands for the purchase order placed in beforeAll */
  path: string;
  body: unknown;
}

/** Bodies the documented request schema refuses: the service must answer 400. */
const INVALID_BODIES: BodyCase[] = [
  { service: 'order', method: 'POST', path: '/orders', body: { customerId: `c-${run}`, lines: [] } },
  { service: 'order', method: 'POST', path: '/orders', body: { customerId: `c-${run}`, lines: [{ sku: 'A', quantity: 0 }] } },
  { service: 'order', method: 'POST', path: '/orders', body: { lines: [{ sku: 'A', quantity: 1 }] } },
  { service: 'order', method: 'POST', path: `/orders/o-${run}/cancel`, body: { reason: 42 } },
  { service: 'order', method: 'POST', path: '/orders', body: { customerId: `c-${run}`, lines: [{ sku: 'A', quantity: 1 }], shipping: 'overnight' } },
  { service: 'order', method: 'POST', path: `/orders/o-${run}/shipments`, body: { lines: [] } },
  { service: 'order', method: 'POST', path: `/orders/o-${run}/shipments`, body: { lines: [{ lineId: 'l-1', quantity: 1 }], carrier: 7 } },
  { service: 'order', method: 'POST', path: `/orders/o-${run}/lines/l-1/cancel`, body: { quantity: 0 } },
  { service: 'order', method: 'POST', path: `/orders/o-${run}/lines/l-1/substitute`, body: {} },
  { service: 'inventory', method: 'PUT', path: `/skus/S-${run}`, body: { leadTimeDays: -1 } },
  { service: 'inventory', method: 'PUT', path: `/skus/S-${run}`, body: { backorderable: 'yes' } },
  { service: 'inventory', method: 'PUT', path: `/skus/S-${run}`, body: { maxBackorder: -1 } },
  { service: 'inventory', method: 'PUT', path: `/skus/S-${run}`, body: { autoCancelAfterDays: 'soon' } },
  { service: 'inventory', method: 'PUT', path: `/skus/S-${run}`, body: { releaseAt: 'next tuesday' } },
  { service: 'inventory', method: 'POST', path: `/skus/S-${run}/adjustments`, body: { delta: 2 } },
  { service: 'supplier', method: 'POST', path: '/purchase-orders', body: { sku: `S-${run}`, quantity: 0, expectedAt: inDays(7) } },
  { service: 'supplier', method: 'POST', path: '/purchase-orders', body: { sku: `S-${run}`, quantity: 1, expectedAt: 'next tuesday' } },
  { service: 'supplier', method: 'POST', path: '/purchase-orders', body: { sku: `S-${run}`, quantity: 1, expectedAt: inDays(7), price: 3 } },
  { service: 'supplier', method: 'PATCH', path: `/purchase-orders/po-${run}`, body: { expectedAt: 20261204 } },
  { service: 'supplier', method: 'POST', path: `/purchase-orders/po-${run}/receipts`, body: { quantity: 2, close: 'yes' } },
];

let purchaseOrderId: string;

/** Bodies the documented request schema accepts: the service must not answer 400. */
const VALID_BODIES: BodyCase[] = [
  { service: 'order', method: 'POST', path: '/orders', body: { customerId: `c-${run}`, lines: [{ sku: `A-${run}`, quantity: 1 }] } },
  { service: 'order', method: 'POST', path: `/orders/o-${run}/cancel`, body: { reason: 'changed my mind' } },
  { service: 'order', method: 'POST', path: '/orders', body: { customerId: `c-${run}`, lines: [{ sku: `A-${run}`, quantity: 1 }], shipping: 'when-complete' } },
  { service: 'order', method: 'POST', path: `/orders/o-${run}/shipments`, body: { lines: [{ lineId: 'l-1', quantity: 1 }], carrier: 'DHL' } },
  { service: 'order', method: 'POST', path: `/orders/o-${run}/lines/l-1/cancel`, body: { quantity: 1, reason: 'too many' } },
  { service: 'order', method: 'POST', path: `/orders/o-${run}/lines/l-1/substitute`, body: { sku: `B-${run}` } },
  { service: 'inventory', method: 'PUT', path: `/skus/S-${run}`, body: { backorderable: true, leadTimeDays: 5, substitutes: [`T-${run}`] } },
  {
    service: 'inventory',
    method: 'PUT',
    path: `/skus/P-${run}`,
    body: { maxBackorder: 20, maxWaitDays: 14, autoCancelAfterDays: 3, releaseAt: inDays(30) },
  },
  { service: 'inventory', method: 'POST', path: `/skus/S-${run}/adjustments`, body: { delta: 3, reason: 'count' } },
  { service: 'supplier', method: 'POST', path: '/purchase-orders', body: { sku: `S-${run}`, quantity: 5, expectedAt: inDays(7) } },
  { service: 'supplier', method: 'PATCH', path: '/purchase-orders/{purchaseOrderId}', body: { expectedAt: inDays(9).slice(0, 10) } },
  { service: 'supplier', method: 'POST', path: '/purchase-orders/{purchaseOrderId}/receipts', body: { quantity: 2 } },
];

/** Path parameters the documented parameter schema refuses (notification takes no body: its input is the path). */
const INVALID_PATH_PARAMETERS: [ServiceKey, template: string, name: string, value: string][] = [
  ['notification', '/customers/{customerId}/notifications', 'customerId', 'c'.repeat(201)],
];

/** Header values the documented header schema refuses, on otherwise valid requests. */
const INVALID_HEADERS: [ServiceKey, method: string, path: string, header: string, value: string, body: unknown][] = [
  ['supplier', 'POST', '/purchase-orders', 'Idempotency-Key', 'two words', { sku: `H-${run}`, quantity: 1, expectedAt: inDays(7) }],
  ['supplier', 'POST', '/purchase-orders', 'X-Correlation-Id', 'x'.repeat(201), { sku: `H-${run}`, quantity: 1, expectedAt: inDays(7) }],
];

const templateOf = (p: string) => p.replace(/\{[^}]+\}/g, '{}');
const concretePath = (c: BodyCase) => c.path.replace('{purchaseOrderId}', encodeURIComponent(purchaseOrderId));

function operationFor(document: OpenApiDocument, method: string, concrete: string): Operation | undefined {
  for (const [template, operations] of Object.entries(document.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (pattern.test(concrete)) return operations[method.toLowerCase()];
  }
  return undefined;
}

/**
 * An OpenAPI 3.0 schema object as the JSON Schema ajv reads: 3.0 writes an exclusive bound as a boolean beside the
 * bound (`minimum: 0, exclusiveMinimum: true`), JSON Schema as the bound itself. ajv understands `nullable` as is.
 */
function jsonSchemaOf(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(jsonSchemaOf);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: JsonObject = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, jsonSchemaOf(value)]));
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[flag] !== 'boolean') continue;
    if (out[flag] === true) out[flag] = out[bound]!;
    else delete out[flag];
    if (schema[flag] === true) delete out[bound];
  }
  return out;
}

const pointerStep = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** The JSON Pointers at which two documents differ, for a failure message a person can act on. */
function differences(served: Json, committed: Json, at = '', found: string[] = []): string[] {
  if (found.length >= 10) return found;
  if (served && committed && typeof served === 'object' && typeof committed === 'object' && Array.isArray(served) === Array.isArray(committed)) {
    const keys = new Set([...Object.keys(served), ...Object.keys(committed)]);
    for (const key of keys) {
      differences((served as JsonObject)[key] ?? null, (committed as JsonObject)[key] ?? null, `${at}/${pointerStep(key)}`, found);
    }
  } else if (!isDeepStrictEqual(served, committed)) {
    found.push(at || '/');
  }
  return found;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
const accepts = (schema: JsonObject, value: unknown) => ajv.validate(jsonSchemaOf(schema) as object, value);

describe('OpenAPI documents', () => {
  let system: RunningSystem;
  const served = {} as Record<ServiceKey, OpenApiDocument>;

  const http = async (service: ServiceKey, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const { status, body: answer } = await system.http(service, method, path, { body, headers });
    return { status, body: answer as unknown };
  };

  beforeAll(async () => {
    system = await startSystem();
    for (const service of SERVICES) {
      const { status, body } = await http(service, 'GET', '/docs/openapi.json');
      expect(status).toBe(200);
      served[service] = body as OpenApiDocument;
    }
    const placed = await http('supplier', 'POST', '/purchase-orders', { sku: `P-${run}`, quantity: 10, expectedAt: inDays(5) });
    expect(placed.status).toBe(201);
    purchaseOrderId = (placed.body as { purchaseOrderId: string }).purchaseOrderId;
  }, 240_000);

  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  it.each(SERVICES)('%s-service serves the committed docs/openapi/<service>.json', (service) => {
    const file = path.join(repoRoot(), `docs/openapi/${service}.json`);
    const committed = JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
    const drift = differences(served[service] as unknown as Json, committed);
    if (drift.length > 0) {
      throw new Error(
        `${service}-service serves another OpenAPI document than docs/openapi/${service}.json (differs at ${drift.join(', ')}): ` +
          'run npm run docs:openapi and commit the result',
      );
    }
  });

  it('a committed document that differs is caught, and named', () => {
    const changed = structuredClone(served.order) as unknown as JsonObject;
    (changed.info as JsonObject).version = 'changed';
    expect(differences(served.order as unknown as Json, changed)).toEqual(['/info/version']);
  });

  it.each(SERVICES)('%s-service documents every SPEC endpoint with its method and success status', (service) => {
    const documented = new Map<string, Operation>();
    for (const [template, operations] of Object.entries(served[service].paths)) {
      for (const [method, operation] of Object.entries(operations)) documented.set(`${method.toUpperCase()} ${templateOf(template)}`, operation);
    }
    for (const [method, template, status] of [...SPEC_ENDPOINTS[service], ...OPERATIONS_ENDPOINTS]) {
      const operation = documented.get(`${method} ${templateOf(template)}`);
      expect({ endpoint: `${method} ${template}`, documented: operation !== undefined }).toEqual({ endpoint: `${method} ${template}`, documented: true });
      expect(Object.keys(operation!.responses)).toContain(String(status));
    }
  });

  it.each(INVALID_BODIES.map((c) => [c.service, c.method, c.path, JSON.stringify(c.body), c] as const))(
    '%s: %s %s %s is refused by the documented schema and answered 400',
    async (service, method, _shownPath, _shownBody, c) => {
      const concrete = concretePath(c);
      const operation = operationFor(served[service], method, concrete);
      const schema = operation?.requestBody?.content['application/json'].schema;
      expect(schema).toBeDefined();
      expect(accepts(schema!, c.body)).toBe(false);
      const answer = await http(service, method, concrete, c.body);
      expect(answer.status).toBe(400);
      expect(Object.keys(operation!.responses)).toContain('400');
      expect(accepts(operation!.responses['400']!.content!['application/json']!.schema, answer.body)).toBe(true);
    },
  );

  it.each(VALID_BODIES.map((c) => [c.service, c.method, c.path, JSON.stringify(c.body), c] as const))(
    '%s: %s %s %s is accepted by the documented schema and not answered 400; the answer is documented',
    async (service, method, _shownPath, _shownBody, c) => {
      const concrete = concretePath(c);
      const operation = operationFor(served[service], method, concrete);
      const schema = operation?.requestBody?.content['application/json'].schema;
      expect(schema).toBeDefined();
      expect({ accepted: accepts(schema!, c.body), errors: ajv.errors ?? null }).toEqual({ accepted: true, errors: null });
      const answer = await http(service, method, concrete, c.body);
      expect(answer.status).not.toBe(400);
      expect(Object.keys(operation!.responses)).toContain(String(answer.status));
      const documented = operation!.responses[String(answer.status)]!.content?.['application/json']?.schema;
      expect(documented).toBeDefined();
      expect({ valid: accepts(documented!, answer.body), errors: ajv.errors ?? null, body: answer.body }).toMatchObject({ valid: true, errors: null });
    },
  );

  it.each(INVALID_PATH_PARAMETERS)('%s: %s with a %s the documented parameter schema refuses is answered 400', async (service, template, name, value) => {
    const operation = served[service].paths[template]?.get;
    const parameter = operation?.parameters?.find((p) => p.in === 'path' && p.name === name);
    expect(parameter?.schema).toBeDefined();
    expect(accepts(parameter!.schema!, value)).toBe(false);
    const answer = await http(service, 'GET', template.replace(`{${name}}`, encodeURIComponent(value)));
    expect(answer.status).toBe(400);
    expect(accepts(operation!.responses['400']!.content!['application/json']!.schema, answer.body)).toBe(true);
  });

  it.each(INVALID_HEADERS)('%s: %s %s with an %s the documented header schema refuses is answered 400', async (service, method, concrete, header, value, body) => {
    const operation = operationFor(served[service], method, concrete);
    const parameter = operation?.parameters?.find((p) => p.in === 'header' && p.name === header);
    expect(parameter?.schema).toBeDefined();
    expect(accepts(parameter!.schema!, value)).toBe(false);
    const answer = await http(service, method, concrete, body, { [header]: value });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ field: header });
  });

  it('notification: a customer id the documented parameter schema accepts is not answered 400, and the answer is documented', async () => {
    const template = '/customers/{customerId}/notifications';
    const operation = served.notification.paths[template]!.get!;
    const customerId = `never-heard-of-${run}`;
    expect(accepts(operation.parameters!.find((p) => p.name === 'customerId')!.schema!, customerId)).toBe(true);
    const answer = await http('notification', 'GET', template.replace('{customerId}', customerId));
    expect(answer.status).toBe(404);
    expect(accepts(operation.responses['404']!.content!['application/json']!.schema, answer.body)).toBe(true);
  });
});
