/** Dotted paths where two JSON values differ: enough to tell a reader which part of a generated file went stale. */
export function staleDocumentPaths(committed: unknown, generated: unknown, path = ''): string[] {
  const at = (key: string | number) => (path === '' ? String(key) : `${path}.${key}`);
  if (Array.isArray(committed) && Array.isArray(generated)) {
    if (committed.length !== generated.length) return [path || '(root)'];
    return committed.flatMap((item, index) => staleDocumentPaths(item, generated[index], at(index)));
  }
  if (isObject(committed) && isObject(generated)) {
    const keys = [...new Set([...Object.keys(committed), ...Object.keys(generated)])];
    return keys.flatMap((key) =>
      Object.hasOwn(committed, key) && Object.hasOwn(generated, key)
        ? staleDocumentPaths(committed[key], generated[key], at(key))
        : [at(key)],
    );
  }
  return Object.is(committed, generated) ? [] : [path || '(root)'];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
