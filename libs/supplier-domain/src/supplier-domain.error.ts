import { DomainError } from '@fulfillment/kernel';

export type SupplierErrorCode =
  | 'invalid-command'
  | 'unknown-purchase-order'
  | 'purchase-order-already-placed'
  | 'over-receipt'
  | 'purchase-order-closed'
  | 'sku-mismatch';

/** How a shell should answer: `invalid` → 400, `not-found` → 404, `refusal` → 409 (or the DLQ for a Kafka input). */
export type SupplierErrorKind = 'invalid' | 'not-found' | 'refusal';

const kindOf: Record<SupplierErrorCode, SupplierErrorKind> = {
  'invalid-command': 'invalid',
  'unknown-purchase-order': 'not-found',
  'purchase-order-already-placed': 'refusal',
  'over-receipt': 'refusal',
  'purchase-order-closed': 'refusal',
  'sku-mismatch': 'refusal',
};

/** Thrown by `decide` and `planReplenishment`; the state is then unchanged. */
export class SupplierDomainError extends DomainError<SupplierErrorCode> {
  override readonly name = 'SupplierDomainError';
  declare readonly kind: SupplierErrorKind;

  constructor(code: SupplierErrorCode, message: string) {
    super(code, message, kindOf);
  }
}

export const isSupplierDomainError = (error: unknown): error is SupplierDomainError =>
  error instanceof SupplierDomainError;
