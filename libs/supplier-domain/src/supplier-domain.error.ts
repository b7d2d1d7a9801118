import { domainErrorClass, type DomainErrorKind } from '@fulfillment/kernel';

export type SupplierErrorKind = DomainErrorKind;

/** Every code of the domain, and how a shell answers it. */
const kindOf = {
  'invalid-command': 'invalid',
  'unknown-purchase-order': 'not-found',
  'purchase-order-already-placed': 'refusal',
  'over-receipt': 'refusal',
  'purchase-order-closed': 'refusal',
  'sku-mismatch': 'refusal',
} as const satisfies Readonly<Record<string, SupplierErrorKind>>;

export type SupplierErrorCode = keyof typeof kindOf;

/** Thrown by `decide` and `planReplenishment`; the state is then unchanged. */
export class SupplierDomainError extends domainErrorClass('SupplierDomainError', kindOf) {}

export const isSupplierDomainError = (error: unknown): error is SupplierDomainError =>
  error instanceof SupplierDomainError;
