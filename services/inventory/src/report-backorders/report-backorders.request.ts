import { z } from 'zod';

export const reportBackordersQuery = z.strictObject({
  format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).default('json').describe('json (default) or csv (a header row, then one row per SKU)'),
});

export type ReportBackordersQuery = z.output<typeof reportBackordersQuery>;
