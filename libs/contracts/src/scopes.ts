/** The scopes of SPEC 12, as they appear in a token's space-separated `scope` claim. */
export const SCOPES = {
  ordersRead: 'orders:read',
  ordersWrite: 'orders:write',
  inventoryRead: 'inventory:read',
  inventoryWrite: 'inventory:write',
  purchasingRead: 'purchasing:read',
  purchasingWrite: 'purchasing:write',
  notificationsRead: 'notifications:read',
  admin: 'admin',
  /** Limits the holder to the customer named by the token's `sub`: its own orders and notifications only. */
  customer: 'customer',
} as const;

export type Scope = (typeof SCOPES)[keyof typeof SCOPES];

/** Every scope that grants access (all but `customer`, which narrows it): what the local dev token carries. */
export const STAFF_SCOPES: readonly Scope[] = Object.freeze(Object.values(SCOPES).filter((scope) => scope !== SCOPES.customer));

export const ALL_SCOPES: readonly Scope[] = Object.freeze(Object.values(SCOPES));
