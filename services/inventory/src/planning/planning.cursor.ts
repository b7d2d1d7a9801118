import { z } from 'zod';
import { HttpFieldError } from '@fulfillment/platform';

export type SkuSort = 'sku' | 'demand';

/**
 * Where the previous page of `GET /skus` ended: the last row's sort key (the SKU breaks ties, so the order is total),
 * and the instant the listing's windows end at, so that every page counts demand over the same 7 and 30 days. The
 * filter and sort travel along, so a cursor cannot be applied to another listing.
 */
export interface SkuCursor {
  readonly sort: SkuSort;
  readonly backordered: boolean | null;
  readonly asOf: string;
  readonly sku: string;
  readonly demand30d: number;
  readonly demand7d: number;
}

const cursorSchema = z.strictObject({
  v: z.literal(1),
  sort: z.enum(['sku', 'demand']),
  backordered: z.boolean().nullable(),
  asOf: z.iso.datetime(),
  sku: z.string().min(1).max(1000),
  demand30d: z.number().int().nonnegative(),
  demand7d: z.number().int().nonnegative(),
});

/** Opaque to clients: base64url of a small JSON document. */
export function encodeCursor(cursor: SkuCursor): string {
  return Buffer.from(JSON.stringify({ v: 1, ...cursor }), 'utf8').toString('base64url');
}

/** The cursor a client sent back, for the listing it asks for now; a 400 naming `cursor` otherwise. */
export function decodeCursor(text: string, listing: { sort: SkuSort; backordered: boolean | null }): SkuCursor {
  let parsed: z.infer<typeof cursorSchema>;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error('not base64url');
    parsed = cursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw new HttpFieldError(400, 'cursor', 'is not a cursor this listing issued');
  }
  const { v: _version, ...cursor } = parsed;
  if (cursor.sort !== listing.sort || cursor.backordered !== listing.backordered) {
    throw new HttpFieldError(400, 'cursor', 'belongs to a listing with another sort or filter: keep them as they were');
  }
  return cursor;
}
