import { domainErrorClass, type DomainErrorKind } from '@fulfillment/kernel';

export type SupplierErrorCode =
  | 'invalid-command'
  | 'unknown-purchase-order'
  | 'purchase-order-already-placed'
  | 'over-receipt'
  | 'purchase-order-closed'
  | 'sku-mismatch';

export type SupplierErrorKind = DomainErrorKind;

const kindOf: Record<SupplierErrorCode, SupplierErrorKind> = {
  'invalid-command': 'invalid',
  'unknown-purchase-order': 'not-found',
  'purchase-order-already-placed': 'refusal',
  'over-receipt': 'refusal',
  'purchase-order-closed': 'refusal',
  'sku-mismatch': 'refusal',
};

/** Thrown by `decide` and `planReplenishment`; the state is then unchanged. */
export class SupplierDomainError extends domainErrorClass('SupplierDomainError', kindOf) {}

export const isSupplierDomainError = (error: unknown): error is SupplierDomainError =>
  error instanceof SupplierDomainError;
