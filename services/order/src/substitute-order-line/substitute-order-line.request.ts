import { z } from 'zod';

/** `POST /orders/:orderId/lines/:lineId/substitute` body; a `SubstituteOrderLine` command is held to the same rules. */
export const substituteOrderLineRequestSchema = z.strictObject(
  {
    sku: z
      .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
      .max(100, 'must have at most 100 characters')
      .refine((value) => value.trim().length > 0, 'must not be blank'),
  },
  { error: (issue) => (issue.input === undefined ? 'is required' : 'must be a JSON object') },
);

export type SubstituteOrderLineRequest = z.infer<typeof substituteOrderLineRequestSchema>;
