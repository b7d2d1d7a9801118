import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { positiveInt, timestamp } from './fields.js';
import { ContractViolationError, dataIssues, describeIssue, envelopeIssues } from './issues.js';
import type { ContractRegistry, MessageContract } from './message.js';
import { contractOf, type MessageData, type MessageType } from './registry.js';

/** Kafka's default `max.message.bytes` is about 1 MB; above this a message is refused before it reaches the broker. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

export function tooLarge(bytes: number): string {
  return `message too large: ${bytes} bytes > ${MAX_MESSAGE_BYTES}`;
}

const nonEmpty = z.string().min(1).max(500);

/** CloudEvents 1.0 context attributes in structured JSON mode, as docs/domain-rules.md fixes them. */
export const envelopeAttributesSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.uuid(),
  type: nonEmpty,
  dataversion: positiveInt,
  source: nonEmpty,
  subject: nonEmpty,
  time: timestamp,
  datacontenttype: z.literal('application/json'),
  correlationid: nonEmpty,
  // CloudEvents leaves unset attributes out, so a first message of a flow may omit it.
  causationid: nonEmpty.nullable().default(null),
});

/** Unknown attributes are CloudEvents extensions: kept, never rejected. */
export const envelopeSchema = envelopeAttributesSchema.extend({ data: z.looseObject({}) }).loose();

// A media type that declares JSON content, as the CloudEvents JSON format defines it: any `json` subtype or `+json`
// suffix (application/json, application/cloudevents+json, text/json), parameters such as `; charset=utf-8` aside.
export function isJsonMediaType(contentType: string): boolean {
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  return /^[a-z0-9!#$&^_.+-]+\/([a-z0-9!#$&^_.-]+\+)?json$/.test(mediaType);
}

const jsonMediaType = z
  .string()
  .max(200)
  .refine(isJsonMediaType, { error: 'must be a JSON media type such as "application/json"' });

/**
 * The attributes of a CloudEvent another client sent (SPEC 11): only what CloudEvents requires, plus valid data;
 * everything else has a default (see `decodeMessage`). The id is any non-empty string, not only a UUID. `null`
 * stands for an unset attribute, as the CloudEvents JSON format says, and is removed before this schema sees it.
 */
export const incomingEnvelopeSchema = z
  .object({
    specversion: z.literal('1.0'),
    id: nonEmpty,
    type: nonEmpty,
    source: nonEmpty,
    dataversion: positiveInt.optional(),
    subject: nonEmpty.optional(),
    time: timestamp.optional(),
    datacontenttype: jsonMediaType.optional(),
    correlationid: nonEmpty.optional(),
    causationid: nonEmpty.optional(),
    data: z.looseObject({}),
  })
  .loose();

/**
 * The one string a message is de-duplicated on: CloudEvents makes `source` and `id` together the identity of an
 * event, so two clients may use the same id without shadowing each other. The form is `<source>/<id>` with `%` and
 * `/` of the source escaped (`%25`, `%2F`), so the first `/` always ends the source and no two pairs give the same
 * string. For our own messages that is `order/<uuid>`.
 */
export function messageIdentity(envelope: { readonly source: string; readonly id: string }): string {
  return `${envelope.source.replaceAll('%', '%25').replaceAll('/', '%2F')}/${envelope.id}`;
}

type EnvelopeAttributes = z.output<typeof envelopeAttributesSchema>;

export interface Envelope<T extends string = string, D = unknown> extends Omit<EnvelopeAttributes, 'type'> {
  type: T;
  data: D;
  [ext: string]: unknown;
}

export type EnvelopeOf<R extends ContractRegistry> = {
  [T in keyof R & string]: Envelope<T, z.output<R[T]['schema']>>;
}[keyof R & string];

export type AnyEnvelope = { [T in MessageType]: Envelope<T, MessageData<T>> }[MessageType];

export interface EnvelopeMeta {
  source: string;
  correlationId: string;
  causationId?: string | null;
  id?: string;
  time?: string;
  /** Defaults to the type's key; override only to re-key deliberately. */
  subject?: string;
}

/**
 * Wraps `data` in a new envelope at the current dataversion. Strict where decoding is lenient: a field the contract
 * does not know is refused rather than silently dropped, so a domain change cannot leak onto the wire.
 */
export function createEnvelope<T extends MessageType>(
  type: T,
  data: MessageData<T>,
  meta: EnvelopeMeta,
): Envelope<T, MessageData<T>> {
  return envelopeFor(contractOf(type), data, meta) as Envelope<T, MessageData<T>>;
}

export function envelopeFor(contract: MessageContract, data: unknown, meta: EnvelopeMeta): Envelope {
  const parsed = contract.schema.safeParse(data, { error: describeIssue });
  if (!parsed.success) throw new ContractViolationError(contract.type, dataIssues(parsed.error));
  const unknownFields = fieldsDropped(data, parsed.data, 'data');
  if (unknownFields.length > 0) {
    throw new ContractViolationError(
      contract.type,
      unknownFields.map((path) => `${path}: is not a field of ${contract.type} v${contract.currentVersion}`),
    );
  }
  const envelope: Envelope = {
    specversion: '1.0',
    id: meta.id ?? randomUUID(),
    type: contract.type,
    dataversion: contract.currentVersion,
    source: meta.source,
    subject: meta.subject ?? contract.key(parsed.data),
    time: meta.time ?? new Date().toISOString(),
    datacontenttype: 'application/json',
    correlationid: meta.correlationId,
    causationid: meta.causationId ?? null,
    data: parsed.data,
  };
  const checked = envelopeSchema.safeParse(envelope, { error: describeIssue });
  if (!checked.success) throw new ContractViolationError(contract.type, envelopeIssues(checked.error));
  return envelope;
}

export function encodeEnvelope(env: Envelope): string {
  const json = JSON.stringify(env);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > MAX_MESSAGE_BYTES) throw new ContractViolationError(env.type, [tooLarge(bytes)]);
  return json;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Paths present in `input` that parsing dropped from `output`. */
function fieldsDropped(input: unknown, output: unknown, path: string): string[] {
  if (Array.isArray(input) && Array.isArray(output)) {
    return input.flatMap((item, index) => fieldsDropped(item, output[index], `${path}[${index}]`));
  }
  if (isPlainObject(input) && isPlainObject(output)) {
    return Object.keys(input).flatMap((key) => {
      if (input[key] === undefined) return [];
      if (!Object.hasOwn(output, key)) return [`${path}.${key}`];
      return fieldsDropped(input[key], output[key], `${path}.${key}`);
    });
  }
  return [];
}
