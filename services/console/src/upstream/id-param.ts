import { z } from 'zod';

/**
 * An id or SKU from the operator, for a path of a service: the service judges it (inventory answers a bad SKU with a
 * 400 naming `sku`); the console refuses only what no service could take, and escapes the rest (`segment`).
 */
export const idParam = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
