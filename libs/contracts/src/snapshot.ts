import { z } from 'zod';
import { envelopeSchema } from './envelope.js';
import type { ContractRegistry, MessageKind } from './message.js';
import { CONTRACT_REGISTRY } from './registry.js';
import type { Topic } from './topics.js';

export type JsonSchema = z.core.JSONSchema.BaseSchema;

export interface MessageSnapshot {
  readonly kind: MessageKind;
  readonly topic: Topic;
  readonly currentVersion: number;
  /** JSON Schema (draft 2020-12) of what a producer may send, per published dataversion ("1", "2", ...). */
  readonly versions: Readonly<Record<string, JsonSchema>>;
}

export interface ContractSnapshot {
  readonly envelope: JsonSchema;
  readonly messages: Readonly<Record<string, MessageSnapshot>>;
}

// 'input' describes what may be written on the wire; output mode would also forbid extra fields, which readers accept.
const toJsonSchema = (schema: z.ZodType): JsonSchema => z.toJSONSchema(schema, { io: 'input' });

/**
 * Every published schema as plain JSON, for docs (AsyncAPI) and for a gate that compares it with the last release.
 * Refinements (e.g. a line's quantity equals the sum of its buckets) are not expressible and do not appear.
 */
export function contractSnapshot(registry: ContractRegistry = CONTRACT_REGISTRY): ContractSnapshot {
  const messages: Record<string, MessageSnapshot> = {};
  for (const contract of Object.values(registry)) {
    messages[contract.type] = {
      kind: contract.kind,
      topic: contract.topic,
      currentVersion: contract.currentVersion,
      versions: Object.fromEntries(
        Object.entries(contract.versions).map(([key, schema]) => [key.slice(1), toJsonSchema(schema)]),
      ),
    };
  }
  return { envelope: toJsonSchema(envelopeSchema), messages };
}
