import { v5 as uuidV5 } from 'uuid';

/**
 * A name-based (RFC 9562 version 5) UUID of `parts` in `namespace`: the same parts always give the same id, so an
 * effect derived from a redelivered message is recognisable as the same effect. The parts are JSON-encoded rather
 * than joined, so no separator inside a part can make two different tuples collide.
 */
export function nameBasedId(namespace: string, ...parts: readonly string[]): string {
  return uuidV5(parts.length === 1 ? parts[0]! : JSON.stringify(parts), namespace);
}
