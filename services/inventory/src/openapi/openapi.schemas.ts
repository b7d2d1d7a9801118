import { z } from 'zod';

const instant = z.string().describe('ISO-8601 instant');

export const skuViewSchema = z.object({
  sku: z.string(),
  onHand: z.int().describe('units in the warehouse'),
  reserved: z.int().describe('units held for order lines (reserved on arrival or allocated from the queue)'),
  available: z.int().describe('free units; above 0 only while nobody waits'),
  backordered: z.int().describe('units queued lines still wait for'),
  queue: z
    .array(
      z.object({
        orderId: z.string(),
        lineId: z.string(),
        customerId: z.string(),
        quantity: z.int().describe('units this line still waits for'),
        queuedAt: instant,
        expectedAt: instant.nullable().describe('the promised date; null when no restock is in sight'),
        preorder: z.boolean().describe('queued as a preorder, before the SKU was released'),
      }),
    )
    .describe('backordered lines, FIFO: the first is served first'),
  incoming: z
    .array(z.object({ purchaseOrderId: z.string(), quantity: z.int(), expectedAt: instant }))
    .describe('open purchase orders in the order their units are promised'),
  preordersUntil: instant
    .nullable()
    .describe('the release the preorders wait for: until the first sweep at or after it nothing is served; null once released or for a SKU without releaseAt'),
  pendingReplenishment: z.int().describe('units requested from the supplier that no purchase order answers yet (they promise no date)'),
  unplannedReplenishment: z
    .int()
    .describe('units requested that the supplier could not plan (no lead time): not supply, and not requested again until a lead time is configured'),
  configuration: z.object({
    backorderable: z.boolean(),
    leadTimeDays: z.int().nullable(),
    reorderPoint: z.int(),
    safetyStock: z.int(),
    substitutes: z.array(z.string()),
    maxBackorder: z.int().nullable().describe('units that may wait at once; null: no cap'),
    maxWaitDays: z.int().nullable().describe('longest promise a line may be queued with; null: any known timeline'),
    autoCancelAfterDays: z.int().nullable().describe('a waiting line is released after this many days; null: never'),
    releaseAt: instant.nullable().describe('preorders: every unit ordered before it is queued; null: no preorder'),
  }),
});

const planningFigures = {
  sku: z.string(),
  onHand: z.int().describe('units in the warehouse'),
  reserved: z.int().describe('units held for order lines'),
  available: z.int().describe('free units'),
  backordered: z.int().describe('units queued lines still wait for'),
  queueLines: z.int().describe('lines waiting'),
  oldestQueuedAt: instant.nullable().describe('when the longest-waiting line was queued; null when none waits'),
  incoming: z.int().describe('units still expected on open purchase orders'),
  demand7d: z.int().describe('units ordered (reserved + queued + unavailable) by lines first answered in the last 7 days'),
  demand30d: z.int().describe('the same over 30 days'),
};

export const skuListingSchema = z.object({
  items: z.array(z.object(planningFigures)),
  nextCursor: z.string().nullable().describe('pass as `cursor` for the next page; null on the last page'),
  asOf: instant.describe('the end of the demand windows, the same on every page of a listing'),
});

export const backorderReportSchema = z.object({
  asOf: instant.describe('the end of the demand and fill windows'),
  skus: z.array(
    z.object({
      ...planningFigures,
      coveredByIncoming: z.int().describe('queued units that open purchase orders cover'),
      uncovered: z.int().describe('queued units that neither open purchase orders nor stock held for a release cover'),
      promiseKeptRatio: z
        .number()
        .nullable()
        .describe('of the lines filled from the queue in the last 30 days, the share filled on or before the day (UTC) first promised to them; null: none filled'),
    }),
  ),
});
