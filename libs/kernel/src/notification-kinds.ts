/**
 * What a customer can be told about, as the notification context decides it and notification.events publishes it
 * (docs/domain-rules.md names them).
 */
export const NOTIFICATION_KINDS = [
  'order-confirmed',
  'backordered',
  'backorder-eta-changed',
  'backorder-allocated',
  'out-of-stock',
  'order-cancelled',
  'back-in-stock',
  'shipped',
  'line-cancelled',
  'substitute-accepted',
  'backorder-expired',
  'preordered',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
