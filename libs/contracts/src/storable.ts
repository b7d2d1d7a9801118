// Strings PostgreSQL cannot store: every service keeps what it is sent in text or jsonb columns, so an HTTP request
// (StorableStringsPipe in libs/platform) and a Kafka record (readCloudEvent) holding one are refused at the edge,
// naming the field, instead of failing in the database.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why PostgreSQL could not store `value` as text or jsonb, or undefined when it can: a NUL character is refused by
 * both, and a lone UTF-16 surrogate either fails (jsonb) or is silently replaced (text).
 */
export function unstorable(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain a NUL character';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode (no lone surrogate)';
  return undefined;
}

/** The first string inside `value` the database cannot store, with its path (`lines[0].sku`). */
export function findUnstorable(value: unknown, path: string, depth = 0): { field: string; problem: string } | undefined {
  if (typeof value === 'string') {
    const problem = unstorable(value);
    return problem === undefined ? undefined : { field: path, problem };
  }
  if (depth > 32 || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorable(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const keyProblem = unstorable(key);
    const field = path ? `${path}.${key}` : key;
    if (keyProblem !== undefined) return { field: path || 'body', problem: `field names ${keyProblem}` };
    const found = findUnstorable(item, field, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Whether JSON text may hold a string PostgreSQL cannot store: a NUL or a surrogate, escaped (raw ones are not valid). */
export function mayHoldUnstorable(jsonText: string): boolean {
  return jsonText.includes('\\u0000') || /\\u[dD][89a-fA-F]/.test(jsonText);
}
