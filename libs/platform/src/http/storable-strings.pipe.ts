import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { HttpFieldError } from './http-field-error.js';

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

/**
 * Applied to every path parameter, query parameter and body of every service before any other pipe: a string the
 * database cannot store is a 400 naming the parameter or field, never a 500 from the driver.
 */
@Injectable()
export class StorableStringsPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    // A whole body or query object names its fields by themselves; a single parameter by its name.
    const root = metadata.data ?? '';
    const found = findUnstorable(value, root);
    if (found) throw new HttpFieldError(400, found.field || metadata.type, found.problem);
    return value;
  }
}
