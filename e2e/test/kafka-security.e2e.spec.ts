// The whole system over SASL_SSL with ACLs (SPEC 12 "Kafka"): a broker of the test's own with one SASL_SSL listener
// (certificates made with keytool, SCRAM users made at format time) and the StandardAuthorizer, where each service has
// its own user and only the ACLs derived from libs/contracts. The four services run as processes with the KAFKA_SSL /
// KAFKA_SASL_* settings an operator would give them; an order placed over HTTP must be answered and its customer told.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ALL_TOPICS, SERVICE_NAMES, serviceKafkaAcls, TOPICS } from '@fulfillment/contracts';
import {
  createServiceAcls,
  createTopicNamespace,
  eventually,
  okBody,
  startPrivateKafka,
  startSystem,
  testKafka,
  type PrivateKafka,
  type RunningSystem,
} from '@fulfillment/testing';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';

const run = randomUUID().slice(0, 8);
const SKU = `SEC-${run}`;

describe('the four services over SASL_SSL, each as its own Kafka user with only its ACLs', () => {
  let broker: PrivateKafka;
  let system: RunningSystem;
  let prefix: string;

  const http = async <T>(service: 'order' | 'inventory' | 'notification', method: string, path: string, body?: unknown): Promise<T> =>
    okBody(await system.http<T>(service, method, path, { body }), `${method} ${path}`);

  beforeAll(async () => {
    broker = await startPrivateKafka({ secure: { users: [...SERVICE_NAMES] } });
    const namespace = await createTopicNamespace(ALL_TOPICS, 3, broker.target());
    prefix = namespace.prefix;
    const admin = (await testKafka('e2e-acls', broker.target())).admin();
    await admin.connect();
    try {
      await createServiceAcls(admin, namespace.prefix);
    } finally {
      await admin.disconnect();
    }
    system = await startSystem({
      namespace,
      env: Object.fromEntries(SERVICE_NAMES.map((service) => [service, broker.target(service).env])),
    });
  }, 240_000);

  afterAll(async () => {
    await system?.stop();
    await broker?.dispose();
  }, 90_000);

  it('gives each service user exactly the ACLs derived from the contracts, and nothing else', async () => {
    const admin = (await testKafka('e2e-acls-check', broker.target())).admin();
    await admin.connect();
    try {
      const { resources } = await admin.describeAcls({
        resourceType: AclResourceTypes.ANY,
        resourcePatternType: ResourcePatternTypes.ANY,
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      });
      const granted = resources.flatMap((resource) =>
        resource.acls.map((acl) => {
          expect({ pattern: resource.resourcePatternType, host: acl.host, permission: acl.permissionType }).toEqual({
            pattern: ResourcePatternTypes.LITERAL,
            host: '*',
            permission: AclPermissionTypes.ALLOW,
          });
          const type = resource.resourceType === AclResourceTypes.TOPIC ? 'topic' : 'group';
          const operation = acl.operation === AclOperationTypes.READ ? 'read' : 'write';
          return `${acl.principal} ${operation} ${type} ${resource.resourceName}`;
        }),
      );
      const expected = SERVICE_NAMES.flatMap((service) =>
        serviceKafkaAcls(service, prefix).map((acl) => `User:${service} ${acl.operation} ${acl.resourceType} ${acl.name}`),
      );
      expect(granted.sort()).toEqual(expected.sort());
    } finally {
      await admin.disconnect();
    }
    for (const service of SERVICE_NAMES) {
      expect(broker.target(service).env).toMatchObject({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: service });
    }
  });

  it('answers an order placed over HTTP (inventory reserves it) and tells the customer', async () => {
    await http('inventory', 'PUT', `/skus/${SKU}`, { backorderable: false, substitutes: [] });
    await http('inventory', 'POST', `/skus/${SKU}/adjustments`, { delta: 5, reason: 'initial count' });
    const customerId = `cust-sec-${run}`;
    const { orderId } = await http<{ orderId: string }>('order', 'POST', '/orders', { customerId, lines: [{ sku: SKU, quantity: 2 }] });

    const order = await eventually(
      async () => {
        const view = await http<{ status: string; lines: { reserved: number }[] }>('order', 'GET', `/orders/${orderId}`);
        return view.status === 'pending' ? undefined : view;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: `order ${orderId} answered over SASL_SSL` },
    );
    expect(order).toMatchObject({ status: 'confirmed', lines: [{ reserved: 2 }] });

    const notifications = await eventually(
      async () => {
        const list = await http<{ kind: string; orderId: string }[]>('notification', 'GET', `/customers/${customerId}/notifications`);
        return list.some((n) => n.kind === 'order-confirmed') ? list : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: `the order-confirmed notification of ${customerId}` },
    );
    expect(notifications.filter((n) => n.kind === 'order-confirmed')).toEqual([expect.objectContaining({ orderId })]);

    // Only the order service's user may write order.events, so the OrderPlaced there came from it.
    const recorder = await system.record(TOPICS.orderEvents);
    await recorder.waitFor((all) => all.filter((e) => e.type === 'OrderPlaced' && (e.data as { orderId: string }).orderId === orderId));

    // The ACLs are enough for everything the services do, not only for this order: no refusal in any log.
    for (const service of SERVICE_NAMES) {
      expect({ service, refusals: system.services[service]!.output().match(/AUTHORIZATION_FAILED|[Nn]ot authorized/g) ?? [] }).toEqual({
        service,
        refusals: [],
      });
    }
  }, 120_000);
});
