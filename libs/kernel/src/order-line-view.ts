/** Every status an order can have (SPEC 9), as the order context derives it and publishes it. */
export type OrderStatus =
  | 'pending'
  | 'confirmed'
  | 'backordered'
  | 'rejected'
  | 'cancelled'
  | 'partially-shipped'
  | 'shipped';

/**
 * One line of an order in the customer's terms: the line of `GET /orders/:orderId`, of the order view the order
 * context publishes, and of the inputs the notification context reads from it. `released` counts every unit given
 * up (cancelled, substituted, or expired in inventory's queue), `shipped` every unit that left the warehouse.
 */
export interface OrderLineView {
  readonly lineId: string;
  readonly sku: string;
  readonly quantity: number;
  readonly reserved: number;
  readonly allocated: number;
  readonly backordered: number;
  readonly unavailable: number;
  readonly released: number;
  readonly shipped: number;
  /** Promised date of the units still waiting; null when none wait or inventory has no date. */
  readonly expectedAt: string | null;
}

/** The buckets of a line before anything happened to its units. */
export const NO_UNITS = Object.freeze({
  reserved: 0,
  allocated: 0,
  backordered: 0,
  unavailable: 0,
  released: 0,
  shipped: 0,
} as const);

/** Only the view's fields of `line` (the order aggregate's line holds more), in the view's order. */
export function orderLineView(line: OrderLineView): OrderLineView {
  const { lineId, sku, quantity, reserved, allocated, backordered, unavailable, released, shipped, expectedAt } = line;
  return { lineId, sku, quantity, reserved, allocated, backordered, unavailable, released, shipped, expectedAt };
}
