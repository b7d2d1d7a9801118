// A message type made up for a test of the contract machinery (registry, evolution, AsyncAPI), never published.
import type { z } from 'zod';
import { defineMessage, type DataSchema } from './message.js';
import { TOPICS, type Topic } from './topics.js';

/** An event on supplier.events (or `topic`) keyed by its `sku` field (or by `key`). */
export function madeUpEvent<const T extends string, S extends DataSchema>(
  type: T,
  description: string,
  schema: S,
  example: z.output<S>,
  options: { readonly key?: (data: z.output<S>) => string; readonly topic?: Topic } = {},
) {
  const key = options.key ?? ((data: z.output<S>) => (data as { sku: string }).sku);
  return defineMessage({ type, kind: 'event', topic: options.topic ?? TOPICS.supplierEvents, description, schema, key, example });
}
