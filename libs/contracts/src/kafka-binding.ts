import { isJsonMediaType, isPlainObject, MAX_MESSAGE_BYTES, tooLarge } from './envelope.js';
import { findUnstorable, mayHoldUnstorable, unstorable } from './storable.js';

// The CloudEvents Kafka protocol binding, read side: which content mode a record uses and where its attributes and
// data are. Validation of what is found there is decode.ts's job.

/** Kafka record headers as kafkajs hands them over: a name may repeat (an array), a value may be bytes or text. */
export type MessageHeaders = Readonly<Record<string, Buffer | string | readonly (Buffer | string)[] | undefined>>;

export type ContentMode = 'structured' | 'binary';

/** What a record says, before validation: attribute values as found (null and the SDK's "undefined" dropped). */
export interface RawCloudEvent {
  readonly mode: ContentMode;
  readonly attributes: Record<string, unknown>;
}

type Failure = { ok: false; reason: string };
const fail = (reason: string): Failure => ({ ok: false, reason });

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Binary-mode header names: `ce_` and a CloudEvents attribute name (lower-case letters and digits). */
const ATTRIBUTE_HEADER = /^ce_([a-z0-9]+)$/;
const REQUIRED_ATTRIBUTES = ['specversion', 'id', 'type', 'source'];
const STRUCTURED_JSON = 'application/cloudevents+json';
const BATCH = 'application/cloudevents-batch';

export function clip(text: string, max = 100): string {
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

/**
 * The SDK's binary mode writes a header for every attribute it knows, set or not, and kafkajs sends an unset one as
 * the text "undefined" (e.g. `ce_datacontentencoding: undefined`): that means "not set", like a JSON null.
 */
function isUnset(value: string): boolean {
  return value === 'undefined';
}

/** Header values by lower-cased name; the last of a repeated header wins, like the Java client's `lastHeader`. */
function headerTexts(headers: MessageHeaders | undefined): { ok: true; texts: Map<string, string> } | Failure {
  const texts = new Map<string, string>();
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const last = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (last === undefined || last === null) continue;
    let text: string;
    if (typeof last === 'string') {
      text = last;
    } else if (Buffer.isBuffer(last)) {
      try {
        text = utf8.decode(last);
      } catch {
        return fail(`header "${clip(name)}" is not valid UTF-8`);
      }
    } else {
      text = String(last);
    }
    const problem = unstorable(text);
    if (problem !== undefined) return fail(`header "${clip(name)}": ${problem}`);
    if (!isUnset(text)) texts.set(name.toLowerCase(), text);
  }
  return { ok: true, texts };
}

function textOf(value: Buffer | string): { ok: true; text: string } | Failure {
  const bytes = typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
  if (bytes > MAX_MESSAGE_BYTES) return fail(tooLarge(bytes));
  try {
    return { ok: true, text: typeof value === 'string' ? value : utf8.decode(value) };
  } catch {
    return fail('not valid UTF-8');
  }
}

/** Parses JSON whose strings must be storable; `path` names where the text sits (`data`, or '' for an envelope). */
function parseJson(text: string, what: string, path: string): { ok: true; json: unknown } | Failure {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail(`${what}not valid JSON: ${jsonSyntaxReason(error)}`);
  }
  // The scan runs only when the text holds an escape that could be the culprit, which is rare.
  const found = mayHoldUnstorable(text) ? findUnstorable(json, path) : undefined;
  return found === undefined ? { ok: true, json } : fail(`${found.field || 'envelope'}: ${found.problem}`);
}

/**
 * The content mode, by the binding's rule: a `content-type` header starting with `application/cloudevents` means
 * structured mode; else `ce_` attribute headers mean binary mode; else (our own producers, kcat) the value is a
 * structured JSON envelope without the header.
 */
function contentModeOf(texts: Map<string, string>): { ok: true; mode: ContentMode } | Failure {
  const contentType = texts.get('content-type');
  if (contentType !== undefined && contentType.trim().toLowerCase().startsWith('application/cloudevents')) {
    const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
    if (mediaType === STRUCTURED_JSON) return { ok: true, mode: 'structured' };
    if (mediaType.startsWith(BATCH)) return fail('batched CloudEvents are not supported on Kafka: send one event per record');
    return fail(`event format "${clip(mediaType)}" is not supported: use ${STRUCTURED_JSON}, or binary mode`);
  }
  const binary = REQUIRED_ATTRIBUTES.some((attribute) => texts.has(`ce_${attribute}`));
  return { ok: true, mode: binary ? 'binary' : 'structured' };
}

function structured(value: Buffer | string): { ok: true; event: RawCloudEvent } | Failure {
  const text = textOf(value);
  if (!text.ok) return text;
  const parsed = parseJson(text.text, '', '');
  if (!parsed.ok) return parsed;
  const json = parsed.json;
  if (!isPlainObject(json)) return fail(`envelope: must be a JSON object, not ${jsonKind(json)}`);

  // fromEntries defines properties, so an attribute named "__proto__" stays an attribute.
  const attributes: Record<string, unknown> = Object.fromEntries(
    Object.entries(json).filter(([, attribute]) => attribute !== null),
  );
  // JSON with bytes for data (a Java client's byte[], say) arrives base64-encoded; it must still be JSON inside.
  if (attributes.data === undefined && typeof attributes.data_base64 === 'string') {
    const contentType = typeof attributes.datacontenttype === 'string' ? attributes.datacontenttype : 'application/json';
    if (isJsonMediaType(contentType)) {
      const inner = textOf(Buffer.from(attributes.data_base64, 'base64'));
      if (!inner.ok) return fail(`data_base64: ${inner.reason}`);
      const data = parseJson(inner.text, 'data_base64: ', 'data');
      if (!data.ok) return data;
      attributes.data = data.json;
      delete attributes.data_base64;
    }
  }
  return { ok: true, event: { mode: 'structured', attributes } };
}

function binary(value: Buffer | string, texts: Map<string, string>): { ok: true; event: RawCloudEvent } | Failure {
  const attributes: Record<string, unknown> = {};
  for (const [name, text] of texts) {
    const attribute = ATTRIBUTE_HEADER.exec(name)?.[1];
    // `data` is the value in binary mode; a header cannot stand in for it.
    if (attribute === undefined || attribute === 'data') continue;
    attributes[attribute] = text;
  }
  // Headers are text; an integer attribute travels as its canonical string form.
  if (typeof attributes.dataversion === 'string' && /^[0-9]{1,9}$/.test(attributes.dataversion)) {
    attributes.dataversion = Number(attributes.dataversion);
  }
  const contentType = texts.get('content-type');
  if (contentType !== undefined) attributes.datacontenttype = contentType;
  if (contentType !== undefined && !isJsonMediaType(contentType)) {
    return fail(`binary mode: content-type "${clip(contentType)}" is not JSON; data must be JSON (application/json)`);
  }

  const text = textOf(value);
  if (!text.ok) return text;
  const data = parseJson(text.text, 'data: ', 'data');
  if (!data.ok) return data;
  attributes.data = data.json;
  return { ok: true, event: { mode: 'binary', attributes } };
}

/**
 * Reads a Kafka record as a CloudEvent in either content mode of the Kafka protocol binding. Never throws; a reason
 * never quotes the value (it may hold customer data).
 */
export function readCloudEvent(
  value: unknown,
  headers?: MessageHeaders,
): { ok: true; event: RawCloudEvent } | Failure {
  if (value === null || value === undefined) return fail('message has no value (tombstone)');
  if (typeof value !== 'string' && !Buffer.isBuffer(value)) return fail('message value must be a Buffer or a string');
  const texts = headerTexts(headers);
  if (!texts.ok) return texts;
  const mode = contentModeOf(texts.texts);
  if (!mode.ok) return mode;
  return mode.mode === 'binary' ? binary(value, texts.texts) : structured(value);
}
