import type { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { HttpFieldError } from './http/http-field-error.js';

/** `lines[0].quantity` style path of a zod issue. */
export function issuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

/**
 * Validates a request body, parameter, query or header with a zod schema; the 400 names the first bad field:
 * {"statusCode":400,"error":"Bad Request","message":"lines[0].quantity: must be a positive integer","field":"lines[0].quantity"}
 * `root` names what is validated when it is not the body (a path parameter, a header).
 */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    private readonly root?: string,
  ) {}

  transform(value: unknown): z.infer<S> {
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    const field = [this.root, issuePath(issue.path)].filter(Boolean).join('.') || 'body';
    throw new HttpFieldError(400, field, issue.message);
  }
}
