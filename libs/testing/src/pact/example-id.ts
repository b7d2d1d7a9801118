import { createHash } from 'node:crypto';

/**
 * A name-based (version 5 layout) UUID for an example message. Pact files are committed, so their examples must be
 * the same on every run; and each interaction gets its own id, because a consumer's inbox would ignore a second
 * message carrying an id it has already seen.
 */
export function exampleId(...names: string[]): string {
  const bytes = createHash('sha1').update(names.join('\n'), 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
