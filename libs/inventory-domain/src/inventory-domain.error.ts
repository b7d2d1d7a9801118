import { domainErrorClass, type DomainErrorKind } from '@fulfillment/kernel';

export type InventoryErrorCode =
  | 'invalid-command'
  | 'insufficient-stock'
  | 'duplicate-line'
  | 'duplicate-purchase-order'
  | 'not-held';

/** Inventory refuses no command as not found: its errors are `invalid` (400) or `refusal` (409). */
export type InventoryErrorKind = Exclude<DomainErrorKind, 'not-found'>;

const kindOf: Record<InventoryErrorCode, InventoryErrorKind> = {
  'invalid-command': 'invalid',
  'insufficient-stock': 'refusal',
  'duplicate-line': 'refusal',
  'duplicate-purchase-order': 'refusal',
  // Shipping units the SKU does not hold for the line: the order service ships only reserved or allocated units,
  // so this is an inconsistency between the two services worth a dead letter, not a retry.
  'not-held': 'refusal',
};

/** Thrown by `decide` when it refuses a command; the state is then unchanged. Messages name ids and quantities only. */
export class InventoryDomainError extends domainErrorClass('InventoryDomainError', kindOf) {}

export const isInventoryDomainError = (error: unknown): error is InventoryDomainError =>
  error instanceof InventoryDomainError;
