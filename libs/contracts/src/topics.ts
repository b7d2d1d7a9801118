/** The services of the backbone; also the `source` each of them stamps on what it publishes. */
export const SERVICE_NAMES = ['order', 'inventory', 'supplier', 'notification'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const TOPICS = {
  orderEvents: 'order.events',
  orderCommands: 'order.commands',
  inventoryEvents: 'inventory.events',
  supplierEvents: 'supplier.events',
  supplierCommands: 'supplier.commands',
  notificationEvents: 'notification.events',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

export const ALL_TOPICS: readonly Topic[] = Object.freeze(Object.values(TOPICS));

export type DlqTopic<T extends string = Topic> = `${T}.dlq`;

export function dlqTopicOf<T extends string>(topic: T): DlqTopic<T> {
  return `${topic}.dlq`;
}

export const ALL_DLQ_TOPICS: readonly DlqTopic[] = Object.freeze(ALL_TOPICS.map((topic) => dlqTopicOf(topic)));

export function isTopic(value: unknown): value is Topic {
  return typeof value === 'string' && (ALL_TOPICS as readonly string[]).includes(value);
}

/** Kafka headers a dead letter carries next to the original, untouched key and value. */
export const DLQ_HEADERS = {
  reason: 'x-dlq-reason',
  sourceTopic: 'x-dlq-source-topic',
  sourcePartition: 'x-dlq-source-partition',
  sourceOffset: 'x-dlq-source-offset',
  failedAt: 'x-dlq-failed-at',
  attempts: 'x-dlq-attempts',
  consumerGroup: 'x-dlq-consumer-group',
} as const;

/**
 * Headers of a dead letter re-driven to its source topic (`POST /admin/dead-letters/redrive`): only the consumer group
 * that dead-lettered it handles it again (the topic's other groups commit it unread: they had handled or dead-lettered
 * the original themselves), and where it came from.
 */
export const REDRIVE_HEADERS = {
  group: 'x-redrive-group',
  from: 'x-redriven-from',
} as const;

export interface TopicInfo {
  /** The only service that may publish events here; for a commands topic, the service that executes them. */
  readonly owner: ServiceName;
  /** What the Kafka key (the envelope `subject`) is, so ordering per key is understood by readers. */
  readonly key: string;
  readonly consumers: readonly ServiceName[];
  readonly description: string;
}

export const TOPIC_INFO: Readonly<Record<Topic, TopicInfo>> = Object.freeze({
  'order.events': {
    owner: 'order',
    key: 'orderId',
    consumers: ['inventory', 'notification'],
    description:
      'Facts about customer orders: placed, status changed, ready to ship, shipped, a line cancelled or substituted, cancelled.',
  },
  'order.commands': {
    owner: 'order',
    key: 'orderId when given, else customerId',
    consumers: ['order'],
    description:
      'Requests any client may send to the order service: place an order, ship units of it, cancel a line or the whole ' +
      'order, take a substitute for a line. Idempotent on the envelope id.',
  },
  'inventory.events': {
    owner: 'inventory',
    key: 'sku',
    consumers: ['order', 'supplier', 'notification'],
    description:
      'Facts about stock per SKU: reservations, the FIFO backorder queue, shipments, shortages and replenishment needs.',
  },
  'supplier.events': {
    owner: 'supplier',
    key: 'sku',
    consumers: ['inventory', 'notification'],
    description:
      'Facts about purchase orders (placed, expected date changed, goods received) and replenishment requests the ' +
      'supplier could not plan.',
  },
  'supplier.commands': {
    owner: 'supplier',
    key: 'sku',
    consumers: ['supplier'],
    description: 'Requests any client may send to the supplier service: record a restock receipt. Idempotent on the envelope id.',
  },
  'notification.events': {
    owner: 'notification',
    key: 'customerId',
    consumers: [],
    description: 'A record of every notification sent to a customer, per channel.',
  },
});
