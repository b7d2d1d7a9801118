import { CONTRACT_REGISTRY, TOPIC_DESCRIPTIONS } from './registry.js';
import { ALL_TOPICS, dlqTopicOf, type ServiceName } from './topics.js';

/** One permission a service's principal needs on a broker with ACLs (resource names are literal). */
export interface KafkaAcl {
  readonly resourceType: 'topic' | 'group';
  readonly name: string;
  readonly operation: 'read' | 'write';
}

/** Topics whose messages are events: only their owner publishes them. Command topics are written by clients. */
function carriesEvents(topic: (typeof ALL_TOPICS)[number]): boolean {
  return TOPIC_DESCRIPTIONS[topic].messageTypes.some((type) => CONTRACT_REGISTRY[type].kind === 'event');
}

/**
 * Everything the principal of `service` may do, derived from the topic table so the ACLs follow the contracts:
 * write the event topics it owns and the dead-letter topics of what it consumes, read what it consumes, and join
 * its consumer group (`<prefix><service>-service`). Granting exactly these lets a broker refuse everything else,
 * e.g. the order service writing `inventory.events`. READ and WRITE imply DESCRIBE, and WRITE lets an idempotent
 * producer start (Kafka 3.0+).
 */
export function serviceKafkaAcls(service: ServiceName, prefix = ''): KafkaAcl[] {
  const consumed = ALL_TOPICS.filter((topic) => TOPIC_DESCRIPTIONS[topic].consumers.includes(service));
  const owned = ALL_TOPICS.filter((topic) => TOPIC_DESCRIPTIONS[topic].owner === service && carriesEvents(topic));
  const topic = (name: string, operation: KafkaAcl['operation']): KafkaAcl => ({ resourceType: 'topic', name: `${prefix}${name}`, operation });
  return [
    ...owned.map((name) => topic(name, 'write')),
    ...consumed.map((name) => topic(dlqTopicOf(name), 'write')),
    ...consumed.map((name) => topic(name, 'read')),
    { resourceType: 'group', name: `${prefix}${service}-service`, operation: 'read' },
  ];
}
