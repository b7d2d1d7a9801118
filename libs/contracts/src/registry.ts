import type { z } from 'zod';
import { inventoryEventContracts } from './inventory.events.js';
import { type MessageContract, registryOf } from './message.js';
import { notificationEventContracts } from './notification.events.js';
import { orderCommandContracts } from './order.commands.js';
import { orderEventContracts } from './order.events.js';
import { supplierCommandContracts } from './supplier.commands.js';
import { supplierEventContracts } from './supplier.events.js';
import { ALL_TOPICS, TOPIC_INFO, type Topic, type TopicInfo } from './topics.js';

export const CONTRACT_REGISTRY = registryOf([
  ...orderEventContracts,
  ...orderCommandContracts,
  ...inventoryEventContracts,
  ...supplierEventContracts,
  ...supplierCommandContracts,
  ...notificationEventContracts,
]);

type Registry = typeof CONTRACT_REGISTRY;

export type MessageType = keyof Registry;

/** The data of the current dataversion of a message type: what producers write and what decoding yields. */
export type MessageData<T extends MessageType> = z.output<Registry[T]['schema']>;

export const MESSAGE_TYPES: readonly MessageType[] = Object.freeze(Object.keys(CONTRACT_REGISTRY) as MessageType[]);

export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && Object.hasOwn(CONTRACT_REGISTRY, value);
}

/** The registry seen through the common contract shape, for code that handles any message type. */
export function contractOf(type: MessageType): MessageContract {
  if (!isMessageType(type)) throw new TypeError(`unknown message type "${String(type)}"`);
  return CONTRACT_REGISTRY[type];
}

export function messageTopic(type: MessageType): Topic {
  return contractOf(type).topic;
}

export function messageKey<T extends MessageType>(type: T, data: MessageData<T>): string {
  return contractOf(type).key(data);
}

/** Every published schema by type and version, e.g. `schemas.OrderPlaced.v1`. */
export const schemas = Object.freeze(
  Object.fromEntries(MESSAGE_TYPES.map((type) => [type, CONTRACT_REGISTRY[type].versions])),
) as { readonly [T in MessageType]: Registry[T]['versions'] };

export interface TopicDescription extends TopicInfo {
  readonly topic: Topic;
  readonly messageTypes: readonly MessageType[];
}

/** What each topic carries, derived from the registry so the two can never disagree (feeds the AsyncAPI document). */
export const TOPIC_DESCRIPTIONS: Readonly<Record<Topic, TopicDescription>> = Object.freeze(
  Object.fromEntries(
    ALL_TOPICS.map((topic) => [
      topic,
      Object.freeze({
        topic,
        ...TOPIC_INFO[topic],
        messageTypes: Object.freeze(MESSAGE_TYPES.filter((type) => CONTRACT_REGISTRY[type].topic === topic)),
      }),
    ]),
  ) as Record<Topic, TopicDescription>,
);
