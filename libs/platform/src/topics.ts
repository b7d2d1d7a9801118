import { decodeWanted, type MessageDecoder } from '@fulfillment/contracts';
import { KafkaBatchTransport, type KafkaBatchTransportOptions } from '@fulfillment/messaging';

/** Maps the contract's topic names to this deployment's (KAFKA_TOPIC_PREFIX) and back. */
export class TopicNames {
  constructor(readonly prefix: string) {}

  /** the real topic for a contract topic: `order.events` -> `<prefix>order.events` */
  name(topic: string): string {
    return `${this.prefix}${topic}`;
  }

  /** the contract topic of a real one, or undefined when it is not in this namespace */
  logical(topic: string): string | undefined {
    return topic.startsWith(this.prefix) ? topic.slice(this.prefix.length) : undefined;
  }

  /** decodes against the contract topic, so a prefixed deployment validates exactly like the default one */
  readonly decode: MessageDecoder = (topic, value, context, wanted) => {
    const logical = this.logical(topic);
    return logical === undefined ? { ok: false, reason: `topic ${topic} is outside prefix "${this.prefix}"` } : decodeWanted(logical, value, context, wanted);
  };
}

/**
 * The batch transport with handlers declared on contract topics (`@BatchEventPattern(TOPICS.orderEvents)`) but
 * subscribed to this deployment's real topics.
 */
export class NamespacedKafkaBatchTransport extends KafkaBatchTransport {
  constructor(options: Omit<KafkaBatchTransportOptions, 'topics' | 'decode'>, private readonly names: TopicNames) {
    super({ ...options, decode: names.decode });
  }

  override addHandler(...args: Parameters<KafkaBatchTransport['addHandler']>): void {
    const [pattern, ...rest] = args;
    super.addHandler(typeof pattern === 'string' ? this.names.name(pattern) : pattern, ...rest);
  }
}
