import type { NewEvent, StoredEvent } from './types.js';

/** A domain event as the deciders see it: a plain `{ type, data }` value. */
export interface DomainEvent {
  readonly type: string;
  readonly data: unknown;
}

/** A stored event this code cannot read: written by a newer version, or by a bug. Folding on would lose state. */
export class UnreadableEventError extends Error {
  override readonly name = 'UnreadableEventError';

  constructor(
    readonly streamId: string,
    readonly streamVersion: number,
    readonly eventType: string,
    reason: string,
  ) {
    super(`event ${eventType} at version ${streamVersion} of stream ${streamId}: ${reason}`);
  }
}

type Upcaster = (data: never) => unknown;

export interface StoredEventsDefinition<E extends DomainEvent> {
  /** Every event type of the aggregate: a stored event of another type is unreadable. */
  readonly types: readonly E['type'][];
  /** The schema version each type is written at today (1 when not listed). */
  readonly versions?: { readonly [T in E['type']]?: number };
  /**
   * `upcasters[type][v]` turns the data of a `type` stored at version v into version v + 1, so an event stored before
   * its shape changed reads as today's. Each step runs in turn up to the current version.
   */
  readonly upcasters?: { readonly [T in E['type']]?: Readonly<Record<number, Upcaster>> };
  /** The stored form of an event, when it differs from the domain's (e.g. personal data kept aside); identity else. */
  readonly toStored?: (event: E) => DomainEvent;
  /** The domain event of a stored (and upcast) form, when `toStored` changed it; identity else. */
  readonly fromStored?: (event: DomainEvent) => E;
}

/** How an aggregate's events are written to and read from the store: the schema version stamp and the checked read. */
export interface StoredEvents<E extends DomainEvent> {
  encode(event: E, id: string, metadata: Record<string, unknown>): NewEvent;
  decode(stored: StoredEvent): E;
}

/**
 * The one mechanism by which every aggregate's events reach the store and come back: each event is stamped with its
 * type's schema version, and on read the type is checked against the aggregate's and the data upcast to today's shape.
 */
export function storedEvents<E extends DomainEvent>(definition: StoredEventsDefinition<E>): StoredEvents<E> {
  const known = new Set<string>(definition.types);
  const versionOf = (type: string): number => (definition.versions as Record<string, number | undefined> | undefined)?.[type] ?? 1;
  const upcastersOf = (type: string): Readonly<Record<number, Upcaster>> | undefined =>
    (definition.upcasters as Record<string, Readonly<Record<number, Upcaster>>> | undefined)?.[type];
  return {
    encode(event, id, metadata) {
      const stored = definition.toStored ? definition.toStored(event) : event;
      return { id, type: stored.type, data: stored.data, metadata, schemaVersion: versionOf(stored.type) };
    },
    decode(stored) {
      if (!known.has(stored.type)) {
        throw new UnreadableEventError(stored.streamId, stored.streamVersion, stored.type, 'unknown event type');
      }
      const current = versionOf(stored.type);
      if (stored.schemaVersion > current) {
        throw new UnreadableEventError(
          stored.streamId,
          stored.streamVersion,
          stored.type,
          `schema version ${stored.schemaVersion} is newer than this code's ${current}`,
        );
      }
      let data: unknown = stored.data;
      for (let version = stored.schemaVersion; version < current; version++) {
        const step = upcastersOf(stored.type)?.[version];
        if (step === undefined) {
          throw new UnreadableEventError(stored.streamId, stored.streamVersion, stored.type, `no upcaster from schema version ${version}`);
        }
        data = step(data as never);
      }
      const event = { type: stored.type, data };
      return definition.fromStored ? definition.fromStored(event) : (event as E);
    },
  };
}
