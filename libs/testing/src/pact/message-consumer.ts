import {
  CONTRACT_REGISTRY,
  decodeMessage,
  messageTopic,
  type AnyEnvelope,
  type MessageType,
  type Topic,
} from '@fulfillment/contracts';
import type { MatchersV3, MessageConsumerPact } from '@pact-foundation/pact';
import { exampleId } from './example-id.js';
import { pactDirectory } from './pact-files.js';

export type EnvelopeOfType<T extends MessageType> = Extract<AnyEnvelope, { type: T }>;

type Matchers = typeof MatchersV3;

export interface MessageExpectation<T extends MessageType> {
  /** The provider's verification finds its producer by this text: two consumers meaning one message share it. */
  description: string;
  type: T;
  /**
   * `data` with Pact matchers: the fields this consumer reads, and those its decoder insists on (the envelope is
   * decoded with the published contract, which refuses a message that lacks a required field).
   */
  data: (m: Matchers) => Record<string, unknown>;
  /** Example of the Kafka key, which is the envelope's subject (the contract's key field of `data`). */
  subject: string;
}

/** Where the consumer reads the message: the contract topic and the record's key. */
export interface Delivery {
  topic: Topic;
  key: string;
}

/** Every example envelope happened at this instant, so the committed pact files stay the same from run to run. */
export const EXAMPLE_TIME = '2026-11-27T10:00:00.000Z';
/** ISO-8601 with milliseconds and a zone (`Z` or `+01:00`): what every service writes with `toISOString()`. */
export const ISO_INSTANT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
const EXAMPLE_CORRELATION_ID = 'req-7f3a';

/**
 * One consumer's expectations of one provider's messages, written to `<repo>/pacts/<consumer>-<provider>.json`.
 * Each expectation is checked against the consumer before it is recorded: the example message goes through the
 * published decoder as raw bytes, then to `consume`, which runs the consumer's own mapping and asserts what came out.
 * A file is rewritten whole from the expectations of the run, so one that a consumer dropped disappears from it.
 * (Pact keeps a refused expectation in the file's next write; the failing test already fails the run.)
 *
 * Pact itself is loaded on first use, so that importing `@fulfillment/testing` costs nothing to tests without pacts.
 */
export class MessageConsumerContract {
  private loaded?: Promise<{ pact: MessageConsumerPact; matchers: Matchers }>;

  private constructor(
    private readonly consumer: string,
    private readonly provider: string,
    private readonly dir: string,
  ) {}

  /** The contract, declared where a test file starts: Pact is loaded by its first expectation. */
  static of(consumer: string, provider: string, dir = pactDirectory()): MessageConsumerContract {
    return new MessageConsumerContract(consumer, provider, dir);
  }

  /** The contract with Pact already loaded. */
  static async create(consumer: string, provider: string, dir = pactDirectory()): Promise<MessageConsumerContract> {
    const contract = MessageConsumerContract.of(consumer, provider, dir);
    await contract.load();
    return contract;
  }

  private load(): Promise<{ pact: MessageConsumerPact; matchers: Matchers }> {
    this.loaded ??= import('@pact-foundation/pact').then(({ MessageConsumerPact, MatchersV3 }) => ({
      pact: new MessageConsumerPact({
        consumer: this.consumer,
        provider: this.provider,
        dir: this.dir,
        pactfileWriteMode: 'overwrite',
        logLevel: 'warn',
      }),
      matchers: MatchersV3,
    }));
    return this.loaded;
  }

  async expect<T extends MessageType>(
    expectation: MessageExpectation<T>,
    consume: (envelope: EnvelopeOfType<T>, delivery: Delivery) => Promise<void> | void,
  ): Promise<void> {
    const { pact, matchers: m } = await this.load();
    const { description, type, subject } = expectation;
    const topic = messageTopic(type);
    await pact
      .expectsToReceive(description)
      .withContent({
        specversion: '1.0',
        id: m.uuid(exampleId(this.consumer, this.provider, description)),
        type,
        // A newer dataversion is one this consumer cannot decode yet: the provider must keep publishing this one.
        dataversion: CONTRACT_REGISTRY[type].currentVersion,
        source: m.like(this.provider.replace(/-service$/, '')),
        subject: m.like(subject),
        time: m.datetime(ISO_INSTANT, EXAMPLE_TIME),
        datacontenttype: 'application/json',
        correlationid: m.like(EXAMPLE_CORRELATION_ID),
        data: expectation.data(m),
      })
      .withMetadata({ topic, key: m.like(subject) })
      .verify(async (message) => {
        const bytes = Buffer.from(JSON.stringify(message.contents), 'utf8');
        const decoded = decodeMessage(topic, bytes);
        if (!decoded.ok) throw new Error(`"${description}": the consumer's decoder refuses the example: ${decoded.reason}`);
        if (decoded.envelope.type !== type) {
          throw new Error(`"${description}": decoded a ${decoded.envelope.type}, expected a ${type}`);
        }
        await consume(decoded.envelope as EnvelopeOfType<T>, { topic, key: String(message.metadata?.key) });
      });
  }
}
