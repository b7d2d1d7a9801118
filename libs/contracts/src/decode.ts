import { type AnyEnvelope, type Envelope, type EnvelopeOf, incomingEnvelopeSchema } from './envelope.js';
import { dataIssues, describeIssue, envelopeIssues, joinIssues } from './issues.js';
import { clip, readCloudEvent, type MessageHeaders } from './kafka-binding.js';
import type { ContractRegistry, MessageContract } from './message.js';
import { CONTRACT_REGISTRY } from './registry.js';

export type DecodeResultOf<E> = { ok: true; envelope: E } | { ok: false; reason: string };
export type DecodeResult = DecodeResultOf<AnyEnvelope>;
/** A valid CloudEvent of a known type of the topic that the consumer does not want: its data was not validated. */
export interface SkippedRecord {
  ok: 'skipped';
  type: string;
}
export type SelectiveDecodeResult = DecodeResult | SkippedRecord;
export type MessageValue = Buffer | string | null | undefined;
export type { MessageHeaders } from './kafka-binding.js';

/** What the Kafka record carries besides its value; every part is optional, so a bare value still decodes. */
export interface MessageContext {
  /** Binary mode carries the attributes in `ce_*` headers; `content-type` tells the content mode. */
  readonly headers?: MessageHeaders;
  /** The record key: the `subject` of an event that has none. */
  readonly key?: Buffer | string | null;
  /** When the record was received: the `time` of an event that has none (default: now). */
  readonly receivedAt?: Date;
}

type Failure = { ok: false; reason: string };
const fail = (reason: string): Failure => ({ ok: false, reason });

const utf8 = new TextDecoder('utf-8', { fatal: true });
const MAX_SUBJECT_LENGTH = 500;

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The key as a subject, when it can be one (text of an envelope attribute's length). */
function keyText(key: Buffer | string | null | undefined): string | undefined {
  if (key === null || key === undefined) return undefined;
  let text: string;
  try {
    text = typeof key === 'string' ? key : utf8.decode(key);
  } catch {
    return undefined;
  }
  return text.length > 0 && text.length <= MAX_SUBJECT_LENGTH ? text : undefined;
}

function toCurrentVersion(
  contract: MessageContract,
  version: number,
  raw: unknown,
): { ok: true; data: Record<string, unknown> } | Failure {
  const schema = contract.versions[`v${version}`];
  if (schema === undefined || version > contract.currentVersion) {
    return fail(`unsupported dataversion ${version} for ${contract.type}`);
  }
  const parsed = schema.safeParse(raw, { error: describeIssue });
  if (!parsed.success) return fail(joinIssues(dataIssues(parsed.error)));
  let data = parsed.data;
  for (let from = version; from < contract.currentVersion; from += 1) {
    const step = `upcasting ${contract.type} from dataversion ${from} to ${from + 1}`;
    let upcast: unknown;
    try {
      upcast = contract.upcasters[from](data);
    } catch (error) {
      return fail(`${step} failed: ${errorMessage(error)}`);
    }
    const next = contract.versions[`v${from + 1}`].safeParse(upcast, { error: describeIssue });
    if (!next.success) return fail(`${step} produced invalid data: ${joinIssues(dataIssues(next.error))}`);
    data = next.data;
  }
  return { ok: true, data };
}

function decodeWith(
  registry: ContractRegistry,
  topic: string,
  value: unknown,
  context: MessageContext,
  wanted?: ReadonlySet<string>,
): DecodeResultOf<Envelope> | SkippedRecord {
  const read = readCloudEvent(value, context.headers);
  if (!read.ok) return read;
  const { mode, attributes } = read.event;
  const named = attributes.type;
  // Most of the cost of a record is validating its envelope and data; one nobody here reads is spared that. Only a
  // known type of this topic is skipped: anything else is judged in full (and dead-lettered when broken).
  if (wanted !== undefined && typeof named === 'string' && !wanted.has(named) && Object.hasOwn(registry, named) && registry[named]!.topic === topic) {
    return { ok: 'skipped', type: named };
  }

  const envelope = incomingEnvelopeSchema.safeParse(attributes, { error: describeIssue });
  if (!envelope.success) return fail(joinIssues(envelopeIssues(envelope.error, mode)));
  const { type, dataversion, subject, time, correlationid, causationid, datacontenttype: _given, ...rest } =
    envelope.data;

  if (!Object.hasOwn(registry, type)) return fail(`unknown type "${clip(type)}" on topic ${topic}`);
  const contract = registry[type];
  if (contract.topic !== topic) return fail(`type ${type} does not belong on topic ${topic}`);

  const current = toCurrentVersion(contract, dataversion ?? 1, rest.data);
  if (!current.ok) return current;
  // SPEC 11: a client sends only what CloudEvents requires; every other attribute has a default.
  return {
    ok: true,
    envelope: {
      ...rest,
      type,
      dataversion: contract.currentVersion,
      subject: subject ?? keyText(context.key) ?? contract.key(current.data),
      time: time ?? (context.receivedAt ?? new Date()).toISOString(),
      // Any JSON media type was accepted; the data is JSON now whatever its parameters said.
      datacontenttype: 'application/json',
      correlationid: correlationid ?? rest.id,
      causationid: causationid ?? null,
      data: current.data,
    },
  };
}

/**
 * A decoder for any registry; the published one is `decodeMessage`. Never throws: every way a message can be wrong
 * comes back as a reason naming the problem, ready for a DLQ header.
 */
export function createMessageDecoder<R extends ContractRegistry>(
  registry: R,
): (topic: string, value: MessageValue, context?: MessageContext) => DecodeResultOf<EnvelopeOf<R>> {
  return (topic, value, context = {}) => decodeWith(registry, topic, value, context) as DecodeResultOf<EnvelopeOf<R>>;
}

const decodePublished = createMessageDecoder(CONTRACT_REGISTRY);

/**
 * `decodeMessage` for a consumer that reads only the `wanted` types of the topic: a record of another known type of
 * the topic comes back as skipped after reading its attributes, without validating its envelope or data. Without
 * `wanted`, every type is read.
 */
export function decodeWanted(topic: string, value: MessageValue, context: MessageContext = {}, wanted?: ReadonlySet<string>): SelectiveDecodeResult {
  return decodeWith(CONTRACT_REGISTRY, topic, value, context, wanted) as SelectiveDecodeResult;
}

/** A decoder a consumer can be given: `wanted`, when set, are the only types of the topic it reads. */
export type MessageDecoder = (topic: string, value: MessageValue, context?: MessageContext, wanted?: ReadonlySet<string>) => SelectiveDecodeResult;

/**
 * Decodes a record of `topic` in either CloudEvents content mode (SPEC 11). Only `specversion`, `id`, `source`,
 * `type` and valid `data` are required; `correlationid` defaults to the id, `dataversion` to 1, `time` to
 * `context.receivedAt`, `subject` to the Kafka key (else the contract's key of the data), `causationid` to null.
 * Unknown attributes are extensions: kept, never refused.
 */
export function decodeMessage(topic: string, value: MessageValue, context?: MessageContext): DecodeResult {
  return decodePublished(topic, value, context);
}
