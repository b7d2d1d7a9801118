import { z } from 'zod';

/**
 * A query string with exactly these parameters: an unknown one is refused naming it (a misspelt filter would
 * otherwise list everything), in a 400 whose `field` is the parameter.
 */
export function strictQuery<S extends z.ZodRawShape>(shape: S) {
  return z.object(shape).catchall(z.unknown()).superRefine((query, ctx) => {
    for (const key of Object.keys(query)) {
      if (!Object.hasOwn(shape, key)) ctx.addIssue({ code: 'custom', path: [key], message: 'is not a parameter of this request' });
    }
  });
}
