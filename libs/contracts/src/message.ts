import type { z } from 'zod';
import type { Topic } from './topics.js';

export type MessageKind = 'event' | 'command';

/** Every message's data is a JSON object; extra fields are dropped on read (zod's default for objects). */
export type DataSchema = z.ZodObject;

export type VersionKey = `v${number}`;
export type VersionedSchemas = { readonly [version: VersionKey]: DataSchema };

/**
 * One published message type. `schema` is the current dataversion; `versions` keeps every version ever published,
 * so old messages still decode and a schema-evolution gate can compare them.
 */
export interface MessageContract<
  T extends string = string,
  S extends DataSchema = DataSchema,
  V extends VersionedSchemas = VersionedSchemas,
> {
  readonly type: T;
  readonly kind: MessageKind;
  readonly topic: Topic;
  readonly description: string;
  readonly currentVersion: number;
  readonly schema: S;
  readonly versions: V;
  /**
   * `upcasters[n]` turns valid data of version n into data of version n + 1. The decoder validates the input and the
   * output of each step against `versions`, which is why the stored signature can be loose.
   */
  readonly upcasters: Readonly<Record<number, (data: unknown) => unknown>>;
  /** The Kafka key (envelope `subject`): it decides the partition, hence the ordering consumers can rely on. */
  key(data: z.output<S>): string;
  readonly example: z.output<S>;
}

export type ContractRegistry = { readonly [type: string]: MessageContract };

export function defineMessage<const T extends string, S extends DataSchema>(definition: {
  readonly type: T;
  readonly kind: MessageKind;
  readonly topic: Topic;
  readonly description: string;
  readonly schema: S;
  key(data: z.output<S>): string;
  readonly example: z.output<S>;
}): MessageContract<T, S, { readonly v1: S }> {
  return Object.freeze({
    type: definition.type,
    kind: definition.kind,
    topic: definition.topic,
    description: definition.description,
    currentVersion: 1,
    schema: definition.schema,
    versions: Object.freeze({ v1: definition.schema }),
    upcasters: Object.freeze({}),
    key: definition.key,
    example: definition.example,
  });
}

/**
 * Publishes a new dataversion of an existing message type. Type, kind and topic stay: a message that moves topic or
 * changes meaning is a new type. The upcaster is typed against both neighbouring schemas.
 */
export function evolveMessage<
  T extends string,
  SPrevious extends DataSchema,
  V extends VersionedSchemas,
  const N extends number,
  SNext extends DataSchema,
>(
  previous: MessageContract<T, SPrevious, V>,
  next: {
    readonly version: N;
    readonly schema: SNext;
    upcast(data: z.output<SPrevious>): z.input<SNext>;
    key(data: z.output<SNext>): string;
    readonly example: z.output<SNext>;
    readonly description?: string;
  },
): MessageContract<T, SNext, V & { readonly [K in `v${N}`]: SNext }> {
  if (next.version !== previous.currentVersion + 1) {
    throw new Error(
      `${previous.type}: dataversion ${next.version} cannot follow ${previous.currentVersion}; versions go up by one`,
    );
  }
  const versions = Object.freeze({ ...previous.versions, [`v${next.version}`]: next.schema }) as V & {
    readonly [K in `v${N}`]: SNext;
  };
  return Object.freeze({
    type: previous.type,
    kind: previous.kind,
    topic: previous.topic,
    description: next.description ?? previous.description,
    currentVersion: next.version,
    schema: next.schema,
    versions,
    upcasters: Object.freeze({
      ...previous.upcasters,
      // The decoder has validated `data` against the previous version before calling this.
      [previous.currentVersion]: (data: unknown) => next.upcast(data as z.output<SPrevious>),
    }),
    key: next.key,
    example: next.example,
  });
}

export type RegistryOf<Cs extends readonly MessageContract[]> = { readonly [C in Cs[number] as C['type']]: C };

export function registryOf<const Cs extends readonly MessageContract[]>(contracts: Cs): RegistryOf<Cs> {
  const registry: Record<string, MessageContract> = {};
  for (const contract of contracts) {
    if (Object.hasOwn(registry, contract.type)) throw new Error(`message type ${contract.type} is defined twice`);
    registry[contract.type] = contract;
  }
  return Object.freeze(registry) as RegistryOf<Cs>;
}
