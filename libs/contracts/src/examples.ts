// The order the contracts' examples tell of, so the documented messages read as one story.

export const EXAMPLE_ORDER_ID = 'c0a8e0f2-5b7d-4e1a-9f3c-6d2b8a4e7f01';

/** The order and its customer, as an order's messages name them first. */
export const EXAMPLE_ORDER = { orderId: EXAMPLE_ORDER_ID, customerId: 'cust-4821' } as const;

/** Units of the order's two lines: `mugs` of line-1, `kettles` of line-2. */
export const exampleUnits = (mugs: number, kettles: number) => [
  { lineId: 'line-1', sku: 'SKU-MUG-350-BLUE', quantity: mugs },
  { lineId: 'line-2', sku: 'SKU-KETTLE-17-STEEL', quantity: kettles },
];
