import { z } from 'zod';
import { strictQuery } from '../planning/strict-query.js';

export const reportBackordersQuery = strictQuery({
  format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).default('json').describe('json (default) or csv (a header row, then one row per SKU)'),
});

export type ReportBackordersQuery = z.output<typeof reportBackordersQuery>;
