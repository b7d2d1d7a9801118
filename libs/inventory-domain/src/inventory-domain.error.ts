import { domainErrorClass, type DomainErrorKind } from '@fulfillment/kernel';

/** Inventory refuses no command as not found: its errors are `invalid` (400) or `refusal` (409). */
export type InventoryErrorKind = Exclude<DomainErrorKind, 'not-found'>;

/** Every code of the domain, and how a shell answers it. */
const kindOf = {
  'invalid-command': 'invalid',
  'insufficient-stock': 'refusal',
  'duplicate-line': 'refusal',
  'duplicate-purchase-order': 'refusal',
  // Shipping units the SKU does not hold for the line: the order service ships only reserved or allocated units,
  // so this is an inconsistency between the two services worth a dead letter, not a retry.
  'not-held': 'refusal',
} as const satisfies Readonly<Record<string, InventoryErrorKind>>;

export type InventoryErrorCode = keyof typeof kindOf;

/** Thrown by `decide` when it refuses a command; the state is then unchanged. Messages name ids and quantities only. */
export class InventoryDomainError extends domainErrorClass('InventoryDomainError', kindOf) {}

export const isInventoryDomainError = (error: unknown): error is InventoryDomainError =>
  error instanceof InventoryDomainError;
