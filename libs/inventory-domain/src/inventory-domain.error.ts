import { DomainError } from '@fulfillment/kernel';

export type InventoryErrorCode =
  | 'invalid-command'
  | 'insufficient-stock'
  | 'duplicate-line'
  | 'duplicate-purchase-order';

/** How a shell should answer: `invalid` → 400, `refusal` → 409 (or the DLQ for a Kafka input). */
export type InventoryErrorKind = 'invalid' | 'refusal';

const kindOf: Record<InventoryErrorCode, InventoryErrorKind> = {
  'invalid-command': 'invalid',
  'insufficient-stock': 'refusal',
  'duplicate-line': 'refusal',
  'duplicate-purchase-order': 'refusal',
};

/** Thrown by `decide` when it refuses a command; the state is then unchanged. Messages name ids and quantities only. */
export class InventoryDomainError extends DomainError<InventoryErrorCode> {
  override readonly name = 'InventoryDomainError';
  declare readonly kind: InventoryErrorKind;

  constructor(code: InventoryErrorCode, message: string) {
    super(code, message, kindOf);
  }
}

export const isInventoryDomainError = (error: unknown): error is InventoryDomainError =>
  error instanceof InventoryDomainError;
