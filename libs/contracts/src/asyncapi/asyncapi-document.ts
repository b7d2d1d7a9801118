import { envelopeAttributesSchema, envelopeFor } from '../envelope.js';
import type { ContractRegistry, MessageContract } from '../message.js';
import { CONTRACT_REGISTRY } from '../registry.js';
import { contractSnapshot, type JsonSchema } from '../snapshot.js';
import { ALL_TOPICS, DLQ_HEADERS, dlqTopicOf, SERVICE_NAMES, TOPIC_INFO, type ServiceName, type Topic } from '../topics.js';
import { stableUuid } from './example-ids.js';

/** The AsyncAPI version the document follows; 3.0.0 is the one most tooling reads. */
export const ASYNCAPI_VERSION = '3.0.0';

const KAFKA_BINDING_VERSION = '0.5.0';

/** What docker-compose.yml and `npm run infra:up` create (the latter honours KAFKA_PARTITIONS). */
export const TOPIC_PARTITIONS = 6;
export const DLQ_PARTITIONS = 1;

/** Fixed so that the examples, and with them the whole document, come out the same on every run. */
const EXAMPLE_TIME = '2026-11-27T10:00:00.000Z';
const EXAMPLE_CORRELATION_ID = stableUuid('example-flow');
const EXAMPLE_COMMAND_SOURCE = 'storefront';

export interface Ref {
  readonly $ref: string;
}

export interface AsyncApiTag {
  readonly name: string;
  readonly description?: string;
}

export interface AsyncApiServer {
  readonly host: string;
  readonly protocol: 'kafka';
  readonly title: string;
  readonly description: string;
}

export interface AsyncApiMessageExample {
  readonly name: string;
  readonly summary: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly payload: unknown;
}

export interface AsyncApiMessage {
  readonly name: string;
  readonly title: string;
  readonly summary: string;
  readonly description: string;
  readonly contentType: string;
  readonly correlationId?: Ref;
  readonly headers: JsonSchema;
  readonly payload: JsonSchema;
  readonly bindings: { readonly kafka: { readonly key: JsonSchema; readonly bindingVersion: string } };
  readonly examples: readonly AsyncApiMessageExample[];
  readonly tags: readonly AsyncApiTag[];
  /** The dataversion producers write. */
  readonly 'x-dataversion'?: number;
  /** JSON Schema of `data` at each older dataversion, which consumers still accept and upcast. */
  readonly 'x-previous-versions'?: Readonly<Record<string, JsonSchema>>;
}

export interface AsyncApiChannel {
  readonly address: string;
  readonly title: string;
  readonly description: string;
  readonly messages: Readonly<Record<string, Ref | AsyncApiMessage>>;
  readonly servers: readonly Ref[];
  readonly bindings: {
    readonly kafka: { readonly topic: string; readonly partitions: number; readonly bindingVersion: string };
  };
}

export interface AsyncApiOperation {
  readonly action: 'send' | 'receive';
  readonly channel: Ref;
  readonly title: string;
  readonly summary: string;
  readonly description: string;
  readonly messages: readonly Ref[];
  readonly tags: readonly AsyncApiTag[];
}

export interface AsyncApiDocument {
  readonly asyncapi: typeof ASYNCAPI_VERSION;
  readonly id: string;
  readonly info: {
    readonly title: string;
    readonly version: string;
    readonly description: string;
    readonly license: { readonly name: string; readonly url: string };
    readonly tags: readonly AsyncApiTag[];
  };
  readonly defaultContentType: string;
  readonly servers: Readonly<Record<string, AsyncApiServer>>;
  readonly channels: Readonly<Record<string, AsyncApiChannel>>;
  readonly operations: Readonly<Record<string, AsyncApiOperation>>;
  readonly components: {
    readonly schemas: Readonly<Record<string, JsonSchema>>;
    readonly messages: Readonly<Record<string, AsyncApiMessage>>;
    readonly correlationIds: Readonly<Record<string, { readonly description: string; readonly location: string }>>;
  };
}

export interface AsyncApiOptions {
  /** The document version: the version of `@fulfillment/contracts` it describes. */
  readonly version: string;
  readonly registry?: ContractRegistry;
}

const INFO_DESCRIPTION = `\
Events and commands exchanged by the order, inventory, supplier and notification services of the fulfillment
backbone. Generated from \`libs/contracts\` by \`npm run docs:asyncapi\`; the TypeScript contracts are the source.

## Envelope
Every Kafka record value the backbone publishes is a CloudEvents 1.0 envelope in structured JSON mode, with every
attribute below set and a UUID \`id\`. \`type\` names the message, \`dataversion\` the version of its \`data\`
schema, and the Kafka key equals the envelope \`subject\`.

## What a client must send
Consumers read both content modes of the CloudEvents Kafka protocol binding:
- **structured**: the record value is the JSON envelope (header \`content-type: application/cloudevents+json\`, or
  no header at all);
- **binary**: the attributes are \`ce_<name>\` headers (\`ce_specversion\`, \`ce_id\`, ...), the record value is
  \`data\` as JSON, and the \`content-type\` header is its \`datacontenttype\`.

Only \`specversion\` (\`1.0\`), \`id\` (any non-empty string), \`source\`, \`type\` and \`data\` valid for
its schema are required. The others default: \`correlationid\` to the \`id\`, \`dataversion\` to 1, \`time\` to
the time of receipt, \`subject\` to the Kafka key (else the message's own key field), \`datacontenttype\` to
\`application/json\` (any JSON media type is accepted), \`causationid\` to null. Unknown attributes are extensions
and are ignored, as are unset ones (JSON \`null\`, or the text \`undefined\` the CloudEvents JavaScript SDK writes
into binary-mode headers). Key commands as the message's key field says, partitioning with murmur2 like the Java
client (kcat: \`-X partitioner=murmur2_random\`).

## Delivery guarantees
- **At least once.** Producers publish from a transactional outbox written together with their state, and consumers
  commit offsets only after their effect is stored, so a message can arrive more than once but is never lost.
- **De-duplicate on \`source\` and \`id\`**, which CloudEvents makes the identity of an event. Consumers record the
  pair in the same transaction as their effect and ignore a repeat: a command is idempotent on its \`source\` and
  \`id\`, so a client retries with the same id.
- **Ordering per key.** Records with the same key land on the same partition (murmur2, as the Java client partitions)
  and are consumed in order. There is no ordering across keys or topics.
- **Dead letters.** A record that is not valid JSON, lacks an envelope attribute, has \`data\` failing its schema, or
  fails its handler after retries is copied, bytes untouched, to \`<topic>.dlq\` with the reason in \`x-dlq-*\`
  headers; the partition moves on.

## Versions
Readers are lenient and writers strict: consumers ignore \`data\` fields they do not know, so adding an optional
field needs no new version. Any other change is a new \`dataversion\`: consumers upcast older versions to the current
shape (\`x-previous-versions\` lists the schemas they still accept), and a schema-evolution gate compares every
published schema in \`libs/contracts/published\` with the current one.`;

const SERVERS: Readonly<Record<string, AsyncApiServer>> = {
  kafka: {
    host: '127.0.0.1:9092',
    protocol: 'kafka',
    title: 'Local broker',
    description:
      'The single-node KRaft broker `npm run infra:up` starts, with every topic and its `.dlq` twin created; ' +
      'automatic topic creation is off.',
  },
  'docker-compose': {
    host: 'localhost:29092',
    protocol: 'kafka',
    title: 'docker compose',
    description:
      'The broker of docker-compose.yml as seen from the host; services inside the compose network use `kafka:9092`.',
  },
};

const ENVELOPE_ATTRIBUTE_DESCRIPTIONS: Readonly<Record<keyof typeof envelopeAttributesSchema.shape | 'data', string>> =
  {
    specversion: 'CloudEvents specification version.',
    id: 'A UUID, unique per message; consumers de-duplicate on source and id, and a command is idempotent on them.',
    type: 'The message type.',
    dataversion: 'Version of the `data` schema the producer wrote.',
    source: 'The service that published the message (for commands: the client that sent it).',
    subject: 'The Kafka key of the record: messages with the same subject are ordered.',
    time: 'When the fact happened or the command was issued (ISO-8601 with a time zone).',
    datacontenttype: '`data` is JSON.',
    correlationid: 'Id of the request or command that started the flow; every message of the flow carries it.',
    causationid: 'Id of the message that caused this one; null (or absent) for the first message of a flow.',
    data: 'The message body, as the schema of `type` at `dataversion` describes it.',
  };

type DlqHeaderName = keyof typeof DLQ_HEADERS;

const DLQ_HEADER_SCHEMAS: Readonly<Record<DlqHeaderName, JsonSchema>> = {
  reason: {
    type: 'string',
    maxLength: 1000,
    description: 'Why the record was dead-lettered: the decode reason, or `ErrorName: message` of the last failure.',
  },
  sourceTopic: { type: 'string', description: 'Topic the record was read from.' },
  sourcePartition: { type: 'string', pattern: '^[0-9]+$', description: 'Partition the record was read from.' },
  sourceOffset: { type: 'string', pattern: '^[0-9]+$', description: 'Offset of the record in that partition.' },
  failedAt: { type: 'string', format: 'date-time', description: 'When the consumer gave up (ISO-8601).' },
  attempts: {
    type: 'string',
    pattern: '^[0-9]+$',
    description: 'Handler calls made for the record alone; 0 for a record that did not decode.',
  },
  consumerGroup: { type: 'string', description: 'The consumer group that gave up on the record.' },
};

// Keywords whose meaning differs between JSON Schema 2020-12 (what zod emits) and the draft-07 based AsyncAPI schema,
// or that point into a document the payload is cut out of.
const NON_PORTABLE_KEYWORDS = new Set([
  '$ref',
  '$defs',
  'definitions',
  '$dynamicRef',
  '$anchor',
  'prefixItems',
  'unevaluatedProperties',
  'unevaluatedItems',
  'dependentRequired',
  'dependentSchemas',
]);
const VALUE_KEYWORDS = new Set(['enum', 'const', 'default', 'examples']);
const NAME_MAP_KEYWORDS = new Set(['properties', 'patternProperties']);

/** The channel id of a topic (`order.events` -> `order-events`): channel and operation ids allow no dots. */
export function channelIdOf(topic: string): string {
  return topic.replaceAll('.', '-');
}

/**
 * The AsyncAPI 3 document of every topic, its dead-letter twin, and every message of the registry, as plain data.
 * Deterministic: the same registry and version give the same document.
 */
export function buildAsyncApiDocument(options: AsyncApiOptions): AsyncApiDocument {
  const registry = options.registry ?? CONTRACT_REGISTRY;
  const snapshot = contractSnapshot(registry);
  const envelope = describedEnvelope(snapshot.envelope);
  const contracts = Object.values(registry);

  const messages: Record<string, AsyncApiMessage> = {};
  for (const contract of contracts) {
    messages[contract.type] = messageOf(contract, envelope, snapshot.messages[contract.type].versions);
  }

  const channels: Record<string, AsyncApiChannel> = {};
  const operations: Record<string, AsyncApiOperation> = {};
  for (const topic of ALL_TOPICS) {
    const carried = contracts.filter((contract) => contract.topic === topic);
    channels[channelIdOf(topic)] = topicChannel(topic, carried.map((contract) => contract.type));
    channels[channelIdOf(dlqTopicOf(topic))] = dlqChannel(topic);
    Object.assign(operations, operationsOf(topic, carried));
  }

  return {
    asyncapi: ASYNCAPI_VERSION,
    id: 'urn:fulfillment-backbone:contracts',
    info: {
      title: 'Fulfillment backbone: events and commands',
      version: options.version,
      description: INFO_DESCRIPTION,
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
      tags: SERVICE_NAMES.map((service) => ({ name: service, description: `Published or consumed by the ${service} service.` })),
    },
    defaultContentType: 'application/json',
    servers: SERVERS,
    channels,
    operations,
    components: {
      schemas: { CloudEventsEnvelope: envelope },
      messages,
      correlationIds: {
        correlationid: {
          description: 'The envelope `correlationid`: id of the request or command that started the flow.',
          location: '$message.payload#/correlationid',
        },
      },
    },
  };
}

function describedEnvelope(schema: JsonSchema): JsonSchema {
  const portable = portableSchema(schema, 'envelope');
  const properties = Object.fromEntries(
    Object.entries(portable.properties ?? {}).map(([name, property]) => {
      const description = (ENVELOPE_ATTRIBUTE_DESCRIPTIONS as Readonly<Record<string, string>>)[name];
      return [name, description === undefined ? property : { ...(property as JsonSchema), description }];
    }),
  );
  return {
    ...portable,
    description: 'CloudEvents 1.0 envelope (structured JSON mode). Unknown attributes are extensions and are kept.',
    properties,
  };
}

function messageOf(
  contract: MessageContract,
  envelope: JsonSchema,
  versions: Readonly<Record<string, JsonSchema>>,
): AsyncApiMessage {
  const { type, kind, topic, currentVersion } = contract;
  const current = portableSchema(versions[String(currentVersion)], `${type} v${currentVersion}`);
  const older = Object.keys(versions)
    .map(Number)
    .filter((version) => version !== currentVersion)
    .sort((a, b) => a - b);
  const example = exampleEnvelope(contract);
  const info = TOPIC_INFO[topic];
  const upcastNote =
    older.length === 0
      ? ''
      : `\n\nConsumers still accept dataversion ${older.join(', ')} and upcast it to ${currentVersion} ` +
        '(schemas in `x-previous-versions`).';
  return {
    name: type,
    title: type,
    summary: `${kind === 'event' ? 'Event' : 'Command'} on ${topic}, dataversion ${currentVersion}, keyed by ${info.key}.`,
    description: contract.description + upcastNote,
    contentType: 'application/json',
    correlationId: { $ref: '#/components/correlationIds/correlationid' },
    headers: {
      type: 'object',
      description:
        'No header is part of the contract: everything is in the envelope. Producers may add tracing headers ' +
        '(e.g. `traceparent`); consumers must not depend on them.',
      additionalProperties: { type: 'string' },
    },
    payload: {
      ...envelope,
      description: `CloudEvents envelope of ${type} at dataversion ${currentVersion}.`,
      properties: {
        ...envelope.properties,
        type: { type: 'string', const: type, description: ENVELOPE_ATTRIBUTE_DESCRIPTIONS.type },
        dataversion: { type: 'integer', const: currentVersion, description: ENVELOPE_ATTRIBUTE_DESCRIPTIONS.dataversion },
        data: { ...current, description: ENVELOPE_ATTRIBUTE_DESCRIPTIONS.data },
      },
    },
    bindings: {
      kafka: {
        key: {
          type: 'string',
          minLength: 1,
          description: `${info.key}, equal to the envelope subject.`,
          examples: [example.subject],
        },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
    examples: [
      {
        name: `${type}-v${currentVersion}`,
        summary: `The registry example of ${type}, in its envelope.`,
        headers: {},
        payload: example,
      },
    ],
    tags: [{ name: info.owner }, { name: kind }],
    'x-dataversion': currentVersion,
    ...(older.length === 0
      ? {}
      : {
          'x-previous-versions': Object.fromEntries(
            older.map((version) => [`v${version}`, portableSchema(versions[String(version)], `${type} v${version}`)]),
          ),
        }),
  };
}

function exampleEnvelope(contract: MessageContract): ReturnType<typeof envelopeFor> {
  const isEvent = contract.kind === 'event';
  return envelopeFor(contract, contract.example, {
    id: stableUuid(`${contract.type}:example`),
    time: EXAMPLE_TIME,
    source: isEvent ? TOPIC_INFO[contract.topic].owner : EXAMPLE_COMMAND_SOURCE,
    correlationId: EXAMPLE_CORRELATION_ID,
    causationId: isEvent ? stableUuid(`${contract.type}:cause`) : null,
  });
}

function topicChannel(topic: Topic, types: readonly string[]): AsyncApiChannel {
  const info = TOPIC_INFO[topic];
  const consumers = info.consumers.length === 0 ? 'none inside the backbone' : info.consumers.join(', ');
  return {
    address: topic,
    title: topic,
    description:
      `${info.description}\n\n` +
      `Owner: ${info.owner}. Consumers: ${consumers}. Kafka key: ${info.key} (the envelope subject); ordering holds ` +
      `per key. ${TOPIC_PARTITIONS} partitions in docker-compose.yml and \`npm run infra:up\` (\`KAFKA_PARTITIONS\`); ` +
      'changing the count moves keys to other partitions, so per-key ordering only holds from then on. ' +
      `Dead letters go to ${dlqTopicOf(topic)}.`,
    messages: Object.fromEntries(types.map((type) => [type, { $ref: `#/components/messages/${type}` }])),
    servers: Object.keys(SERVERS).map((server) => ({ $ref: `#/servers/${server}` })),
    bindings: { kafka: { topic, partitions: TOPIC_PARTITIONS, bindingVersion: KAFKA_BINDING_VERSION } },
  };
}

function dlqChannel(topic: Topic): AsyncApiChannel {
  const dlq = dlqTopicOf(topic);
  const firstConsumer = TOPIC_INFO[topic].consumers[0];
  const headerSchemas = Object.fromEntries(
    (Object.keys(DLQ_HEADERS) as DlqHeaderName[]).map((name) => [DLQ_HEADERS[name], DLQ_HEADER_SCHEMAS[name]]),
  );
  const deadLetter: AsyncApiMessage = {
    name: 'DeadLetter',
    title: `Dead letter of ${topic}`,
    summary: `A record of ${topic} that a consumer could not decode or handle.`,
    description:
      'The original key, value and headers of the record, untouched, so it can be inspected and replayed to ' +
      `${topic} as it was; the \`x-dlq-*\` headers say why and from where. A record dead-lettered again after a replay ` +
      'carries fresh `x-dlq-*` values, not two of each.',
    contentType: 'application/octet-stream',
    headers: {
      type: 'object',
      properties: headerSchemas,
      required: Object.values(DLQ_HEADERS),
      additionalProperties: { type: 'string', description: "The original record's own headers, copied." },
    },
    payload: {
      description:
        `The original record value, byte for byte: usually a CloudEvents envelope of ${topic}, but possibly ` +
        'not JSON at all (that may be why it is here).',
    },
    bindings: {
      kafka: {
        key: { type: ['string', 'null'], description: 'The original record key, unchanged.' },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
    examples: [
      {
        name: `${channelIdOf(dlq)}-invalid-data`,
        summary: 'A record whose data failed its schema.',
        headers: {
          [DLQ_HEADERS.reason]: 'data.lines[0].quantity: must be a positive integer',
          [DLQ_HEADERS.sourceTopic]: topic,
          [DLQ_HEADERS.sourcePartition]: '3',
          [DLQ_HEADERS.sourceOffset]: '1842',
          [DLQ_HEADERS.failedAt]: EXAMPLE_TIME,
          [DLQ_HEADERS.attempts]: '0',
          [DLQ_HEADERS.consumerGroup]: `${firstConsumer ?? 'reporting'}-service`,
        },
        payload: '{"specversion":"1.0","type":"...","data":{"lines":[{"quantity":0}]}}',
      },
    ],
    tags: [{ name: 'dead-letter' }],
  };
  return {
    address: dlq,
    title: dlq,
    description:
      `Dead letters of ${topic}, written by its consumers. ${DLQ_PARTITIONS} partition; its max.message.bytes must be ` +
      `at least that of ${topic}, or an oversized record cannot be dead-lettered and its partition waits.`,
    messages: { deadLetter },
    servers: Object.keys(SERVERS).map((server) => ({ $ref: `#/servers/${server}` })),
    bindings: { kafka: { topic: dlq, partitions: DLQ_PARTITIONS, bindingVersion: KAFKA_BINDING_VERSION } },
  };
}

function operationsOf(topic: Topic, carried: readonly MessageContract[]): Record<string, AsyncApiOperation> {
  const info = TOPIC_INFO[topic];
  const channelId = channelIdOf(topic);
  const dlqChannelId = channelIdOf(dlqTopicOf(topic));
  const messageRefs = carried.map(({ type }) => ({ $ref: `#/channels/${channelId}/messages/${type}` }));
  // Commands come from any client, so the document names no sender; the owner is their only receiver.
  const isCommandTopic = carried.some(({ kind }) => kind === 'command');
  const operations: Record<string, AsyncApiOperation> = {};

  if (carried.length > 0 && !isCommandTopic) {
    operations[`${info.owner}-send-${channelId}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${channelId}` },
      title: `${info.owner} publishes ${topic}`,
      summary: `The ${info.owner} service is the only publisher of ${topic}.`,
      description:
        'Published from the transactional outbox written in the same transaction as the events, so a stored event ' +
        'is published at least once and in the order it was stored.',
      messages: messageRefs,
      tags: [{ name: info.owner }],
    };
  }
  for (const consumer of info.consumers) {
    operations[`${consumer}-receive-${channelId}`] = receiveOperation(consumer, topic, messageRefs, isCommandTopic);
  }
  for (const consumer of info.consumers) {
    operations[`${consumer}-send-${dlqChannelId}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${dlqChannelId}` },
      title: `${consumer} dead-letters ${topic}`,
      summary: `Where the ${consumer} service puts records of ${topic} it cannot decode or handle.`,
      description:
        'A record that does not decode is dead-lettered at once; one whose handler keeps failing after retries, ' +
        'or fails with a non-retryable error, is dead-lettered after them. An unreachable database or broker is ' +
        'never a reason: the partition waits instead.',
      messages: [{ $ref: `#/channels/${dlqChannelId}/messages/deadLetter` }],
      tags: [{ name: consumer }],
    };
  }
  return operations;
}

function receiveOperation(
  consumer: ServiceName,
  topic: Topic,
  messages: readonly Ref[],
  isCommandTopic: boolean,
): AsyncApiOperation {
  const channelId = channelIdOf(topic);
  return {
    action: 'receive',
    channel: { $ref: `#/channels/${channelId}` },
    title: `${consumer} consumes ${topic}`,
    summary: isCommandTopic
      ? `The ${consumer} service executes the commands any client sends to ${topic}.`
      : `The ${consumer} service reacts to ${topic}.`,
    description:
      `Consumed in the ${consumer} service's own consumer group, at least once, in order per key. The envelope ` +
      'source and id are recorded in the same transaction as the effect, so a redelivered message has no second ' +
      'effect. Older dataversions are upcast before handling; unknown data fields are ignored.' +
      (isCommandTopic
        ? ' Commands are read in structured or binary CloudEvents mode; only specversion, id, source, type and data ' +
          'are required (see "What a client must send").'
        : ''),
    messages,
    tags: [{ name: consumer }],
  };
}

/**
 * The schema without its `$schema` dialect, ready to be embedded in an AsyncAPI payload. Refuses keywords whose
 * meaning would change there, so a future zod output cannot silently produce a document that validates differently.
 */
function portableSchema(schema: JsonSchema, label: string): JsonSchema {
  assertPortable(schema, label, '#');
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

function assertPortable(node: unknown, label: string, pointer: string): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => assertPortable(item, label, `${pointer}/${index}`));
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [keyword, value] of Object.entries(node)) {
    if (NON_PORTABLE_KEYWORDS.has(keyword)) {
      throw new Error(
        `${label}: JSON Schema keyword "${keyword}" at ${pointer} cannot be embedded in an AsyncAPI payload; ` +
          'express the field without it',
      );
    }
    if (VALUE_KEYWORDS.has(keyword)) continue;
    if (NAME_MAP_KEYWORDS.has(keyword) && typeof value === 'object' && value !== null) {
      for (const [name, property] of Object.entries(value)) assertPortable(property, label, `${pointer}/${keyword}/${name}`);
      continue;
    }
    assertPortable(value, label, `${pointer}/${keyword}`);
  }
}
