import {
  type AnyEnvelope,
  type Envelope,
  type EnvelopeOf,
  envelopeSchema,
  isPlainObject,
  MAX_MESSAGE_BYTES,
  tooLarge,
} from './envelope.js';
import { dataIssues, describeIssue, envelopeIssues, joinIssues } from './issues.js';
import type { ContractRegistry, MessageContract } from './message.js';
import { CONTRACT_REGISTRY } from './registry.js';

export type DecodeResultOf<E> = { ok: true; envelope: E } | { ok: false; reason: string };
export type DecodeResult = DecodeResultOf<AnyEnvelope>;
export type MessageValue = Buffer | string | null | undefined;

type Failure = { ok: false; reason: string };
const fail = (reason: string): Failure => ({ ok: false, reason });

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Producer-supplied strings echoed in a reason are clipped: reasons travel in Kafka headers. */
function clip(text: string, max = 100): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Node's JSON.parse quotes the input it choked on, which may be customer data: keep only the diagnosis. */
function jsonSyntaxReason(error: unknown): string {
  return errorMessage(error).replace(/, ".*" is not valid JSON$/s, '');
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
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

function decodeWith(registry: ContractRegistry, topic: string, value: unknown): DecodeResultOf<Envelope> {
  if (value === null || value === undefined) return fail('message has no value (tombstone)');
  if (typeof value !== 'string' && !Buffer.isBuffer(value)) return fail('message value must be a Buffer or a string');

  const bytes = typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
  if (bytes > MAX_MESSAGE_BYTES) return fail(tooLarge(bytes));

  let text: string;
  try {
    text = typeof value === 'string' ? value : utf8.decode(value);
  } catch {
    return fail('not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail(`not valid JSON: ${jsonSyntaxReason(error)}`);
  }
  if (!isPlainObject(json)) return fail(`envelope: must be a JSON object, not ${jsonKind(json)}`);

  const envelope = envelopeSchema.safeParse(json, { error: describeIssue });
  if (!envelope.success) return fail(joinIssues(envelopeIssues(envelope.error)));
  const { type, dataversion } = envelope.data;

  if (!Object.hasOwn(registry, type)) return fail(`unknown type "${clip(type)}" on topic ${topic}`);
  const contract = registry[type];
  if (contract.topic !== topic) return fail(`type ${type} does not belong on topic ${topic}`);

  const current = toCurrentVersion(contract, dataversion, envelope.data.data);
  if (!current.ok) return current;
  return { ok: true, envelope: { ...envelope.data, dataversion: contract.currentVersion, data: current.data } };
}

/**
 * A decoder for any registry; the published one is `decodeMessage`. Never throws: every way a message can be wrong
 * comes back as a reason naming the problem, ready for a DLQ header.
 */
export function createMessageDecoder<R extends ContractRegistry>(
  registry: R,
): (topic: string, value: MessageValue) => DecodeResultOf<EnvelopeOf<R>> {
  return (topic, value) => decodeWith(registry, topic, value) as DecodeResultOf<EnvelopeOf<R>>;
}

const decodePublished = createMessageDecoder(CONTRACT_REGISTRY);

export function decodeMessage(topic: string, value: MessageValue): DecodeResult {
  return decodePublished(topic, value);
}
