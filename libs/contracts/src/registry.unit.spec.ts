import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import {
  ALL_DLQ_TOPICS,
  ALL_TOPICS,
  CONTRACT_REGISTRY,
  contractSnapshot,
  createEnvelope,
  decodeMessage,
  dlqTopicOf,
  encodeEnvelope,
  isMessageType,
  isTopic,
  MESSAGE_TYPES,
  messageKey,
  messageTopic,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_KINDS,
  ORDER_STATUSES,
  registryOf,
  schemas,
  SHIPPING_POLICIES,
  TOPIC_DESCRIPTIONS,
  TOPICS,
  type MessageData,
  type MessageType,
} from './index.js';
import { madeUpEvent } from './made-up-event.spec-helper.js';

// Written out from the brief rather than read from the registry, so a wrong topic or key in the code is caught.
const EXPECTED: Record<MessageType, { topic: string; kind: 'event' | 'command'; keyField: string; version: number }> = {
  OrderPlaced: { topic: 'order.events', kind: 'event', keyField: 'orderId', version: 1 },
  OrderStatusChanged: { topic: 'order.events', kind: 'event', keyField: 'orderId', version: 2 },
  OrderCancelled: { topic: 'order.events', kind: 'event', keyField: 'orderId', version: 1 },
  OrderReadyToShip: { topic: 'order.events', kind: 'event', keyField: 'orderId', version: 1 },
  OrderShipped: { topic: 'order.events', kind: 'event', keyField: 'orderId', version: 1 },
  OrderLineCancelled: { topic: 'order.events', kind: 'event', keyField: 'orderId', version: 1 },
  OrderLineSubstituted: { topic: 'order.events', kind: 'event', keyField: 'orderId', version: 1 },
  PlaceOrder: { topic: 'order.commands', kind: 'command', keyField: 'orderId', version: 1 },
  CancelOrder: { topic: 'order.commands', kind: 'command', keyField: 'orderId', version: 1 },
  ShipOrder: { topic: 'order.commands', kind: 'command', keyField: 'orderId', version: 1 },
  CancelOrderLine: { topic: 'order.commands', kind: 'command', keyField: 'orderId', version: 1 },
  SubstituteOrderLine: { topic: 'order.commands', kind: 'command', keyField: 'orderId', version: 1 },
  StockReserved: { topic: 'inventory.events', kind: 'event', keyField: 'sku', version: 1 },
  BackorderQueued: { topic: 'inventory.events', kind: 'event', keyField: 'sku', version: 2 },
  BackorderAllocated: { topic: 'inventory.events', kind: 'event', keyField: 'sku', version: 1 },
  BackorderEtaChanged: { topic: 'inventory.events', kind: 'event', keyField: 'sku', version: 1 },
  BackorderReleased: { topic: 'inventory.events', kind: 'event', keyField: 'sku', version: 1 },
  StockReleased: { topic: 'inventory.events', kind: 'event', keyField: 'sku', version: 1 },
  StockShipped: { topic: 'inventory.events', kind: 'event', keyField: 'sku', version: 1 },
  StockUnavailable: { topic: 'inventory.events', kind: 'event', keyField: 'sku', version: 1 },
  ReplenishmentRequested: { topic: 'inventory.events', kind: 'event', keyField: 'sku', version: 1 },
  BackInStock: { topic: 'inventory.events', kind: 'event', keyField: 'sku', version: 1 },
  PurchaseOrderPlaced: { topic: 'supplier.events', kind: 'event', keyField: 'sku', version: 1 },
  PurchaseOrderEtaChanged: { topic: 'supplier.events', kind: 'event', keyField: 'sku', version: 1 },
  RestockReceived: { topic: 'supplier.events', kind: 'event', keyField: 'sku', version: 1 },
  ReplenishmentUnplanned: { topic: 'supplier.events', kind: 'event', keyField: 'sku', version: 1 },
  ReceiveRestock: { topic: 'supplier.commands', kind: 'command', keyField: 'sku', version: 1 },
  CustomerNotified: { topic: 'notification.events', kind: 'event', keyField: 'customerId', version: 1 },
};

const meta = { source: 'contracts-test', correlationId: 'corr-42', causationId: '5b0e2a57-8c1d-4f3a-9e6b-0d7c4a1f2e93' };

describe('the registry', () => {
  it('holds exactly the message types of the spec', () => {
    expect([...MESSAGE_TYPES].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s sits on its topic, with its kind and dataversion', (type, expected) => {
    const contract = CONTRACT_REGISTRY[type as MessageType];
    expect(contract.type).toBe(type);
    expect(messageTopic(type as MessageType)).toBe(expected.topic);
    expect(contract.kind).toBe(expected.kind);
    expect(contract.currentVersion).toBe(expected.version);
  });

  const keyFields = Object.entries(EXPECTED).map(([type, expected]) => [type, expected.keyField] as const);
  it.each(keyFields)('%s is keyed by its %s', (type, keyField) => {
    const example = CONTRACT_REGISTRY[type as MessageType].example as Record<string, unknown>;
    expect(typeof example[keyField]).toBe('string');
    expect(messageKey(type as MessageType, example as never)).toBe(example[keyField]);
  });

  it('keys a PlaceOrder without orderId by customerId', () => {
    const data: MessageData<'PlaceOrder'> = { customerId: 'cust-7', lines: [{ sku: 'SKU-1', quantity: 2 }] };
    expect(messageKey('PlaceOrder', data)).toBe('cust-7');
    expect(createEnvelope('PlaceOrder', data, meta).subject).toBe('cust-7');
  });

  it.each(MESSAGE_TYPES)('%s has an example that satisfies its current schema', (type) => {
    const contract = CONTRACT_REGISTRY[type];
    const parsed = contract.schema.safeParse(contract.example);
    expect(parsed.error?.issues).toBeUndefined();
    expect(parsed.data).toEqual(contract.example);
  });

  it.each(MESSAGE_TYPES)('%s example round-trips through create, encode and decode', (type) => {
    const { example, topic } = CONTRACT_REGISTRY[type];
    const envelope = createEnvelope(type, example as never, meta);
    const decoded = decodeMessage(topic, Buffer.from(encodeEnvelope(envelope)));
    expect(decoded).toEqual({ ok: true, envelope });
  });

  it('recognises message types by own name only', () => {
    expect(isMessageType('OrderPlaced')).toBe(true);
    expect(isMessageType('ReceiveRestock')).toBe(true);
    expect(isMessageType('orderplaced')).toBe(false);
    // Inherited object members must not pass for message types.
    expect(isMessageType('toString')).toBe(false);
    expect(isMessageType('constructor')).toBe(false);
    expect(isMessageType(42)).toBe(false);
  });

  it('exposes every published schema by type and version', () => {
    expect(schemas.OrderPlaced.v1).toBe(CONTRACT_REGISTRY.OrderPlaced.schema);
    expect(schemas.CustomerNotified.v1.safeParse(CONTRACT_REGISTRY.CustomerNotified.example).success).toBe(true);
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(CONTRACT_REGISTRY)).toBe(true);
    expect(Object.isFrozen(CONTRACT_REGISTRY.OrderPlaced)).toBe(true);
    expect(Object.isFrozen(CONTRACT_REGISTRY.OrderPlaced.versions)).toBe(true);
    expect(Reflect.set(CONTRACT_REGISTRY, 'OrderPlaced', {})).toBe(false);
  });

  it('refuses two contracts with the same type', () => {
    const define = () =>
      madeUpEvent('Twice', 'test', z.object({ id: z.string() }), { id: 'a' }, { key: (data) => data.id, topic: TOPICS.orderEvents });
    expect(() => registryOf([define(), define()])).toThrow('message type Twice is defined twice');
  });
});

describe('enumerations', () => {
  it('are the ones the spec names', () => {
    expect(ORDER_STATUSES).toEqual([
      'pending',
      'confirmed',
      'backordered',
      'rejected',
      'cancelled',
      'partially-shipped',
      'shipped',
    ]);
    expect(SHIPPING_POLICIES).toEqual(['as-available', 'when-complete']);
    expect(NOTIFICATION_KINDS).toEqual([
      'order-confirmed',
      'backordered',
      'backorder-eta-changed',
      'backorder-allocated',
      'out-of-stock',
      'order-cancelled',
      'back-in-stock',
      'shipped',
      'line-cancelled',
      'substitute-accepted',
      'backorder-expired',
      'preordered',
    ]);
    expect(NOTIFICATION_CHANNELS).toEqual(['email', 'webhook', 'in-app']);
  });
});

describe('topics', () => {
  it('are named as the spec says, with a dead-letter topic each', () => {
    expect(TOPICS).toEqual({
      orderEvents: 'order.events',
      orderCommands: 'order.commands',
      inventoryEvents: 'inventory.events',
      supplierEvents: 'supplier.events',
      supplierCommands: 'supplier.commands',
      notificationEvents: 'notification.events',
    });
    expect(ALL_TOPICS).toHaveLength(6);
    expect(dlqTopicOf('order.events')).toBe('order.events.dlq');
    expect(ALL_DLQ_TOPICS).toContain('notification.events.dlq');
    expect(isTopic('supplier.commands')).toBe(true);
    expect(isTopic('supplier.commands.dlq')).toBe(false);
  });

  it('each describe their owner, key and exactly the messages they carry', () => {
    for (const topic of ALL_TOPICS) {
      const carried = Object.entries(EXPECTED)
        .filter(([, expected]) => expected.topic === topic)
        .map(([type]) => type);
      expect([...TOPIC_DESCRIPTIONS[topic].messageTypes].sort()).toEqual(carried.sort());
    }
    expect(TOPIC_DESCRIPTIONS['inventory.events']).toMatchObject({ owner: 'inventory', key: 'sku' });
    expect(TOPIC_DESCRIPTIONS['notification.events']).toMatchObject({ owner: 'notification', key: 'customerId' });
    expect(TOPIC_DESCRIPTIONS['order.commands'].consumers).toEqual(['order']);
  });
});

describe('contractSnapshot', () => {
  const snapshot = contractSnapshot();

  it('is plain JSON, ready to be written to a file and compared', () => {
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });

  it('describes every message at every published version', () => {
    expect(Object.keys(snapshot.messages).sort()).toEqual([...MESSAGE_TYPES].sort());
    expect(snapshot.messages.OrderPlaced).toMatchObject({ kind: 'event', topic: 'order.events', currentVersion: 1 });
    expect(snapshot.messages.OrderPlaced.versions['1']).toMatchObject({
      type: 'object',
      required: ['orderId', 'customerId', 'lines', 'placedAt'],
    });
    expect(snapshot.messages.BackorderQueued.versions['1'].properties?.expectedAt).toMatchObject({
      anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }],
    });
  });

  it('describes the envelope, open to extension attributes', () => {
    expect(snapshot.envelope.required).toEqual([
      'specversion',
      'id',
      'type',
      'dataversion',
      'source',
      'subject',
      'time',
      'datacontenttype',
      'correlationid',
      'data',
    ]);
    expect(snapshot.envelope.additionalProperties).toEqual({});
  });
});
