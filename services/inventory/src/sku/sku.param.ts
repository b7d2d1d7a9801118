import { z } from 'zod';
import { ZodValidationPipe } from '@fulfillment/platform';

/**
 * A SKU as it may appear in a path: the contract allows 1 to 100 characters; in a URL only letters, digits and
 * `-_.:` are accepted, so that a SKU never needs escaping and never collides with a route.
 */
export const skuParamSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits, ".", "_", ":" and "-" only, starting with a letter or digit');

export const skuParamPipe = new ZodValidationPipe(skuParamSchema, 'sku');
