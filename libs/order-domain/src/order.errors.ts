import { domainErrorClass, type DomainErrorKind } from '@fulfillment/kernel';

export type OrderErrorCode =
  | 'invalid-command'
  | 'order-not-found'
  | 'order-already-placed'
  | 'order-not-cancellable'
  | 'line-not-found'
  | 'units-not-shippable'
  | 'line-not-cancellable'
  | 'line-not-substitutable'
  | 'inconsistent-outcome';

export type OrderErrorKind = DomainErrorKind;

const kindOf: Record<OrderErrorCode, OrderErrorKind> = {
  'invalid-command': 'invalid',
  'order-not-found': 'not-found',
  'order-already-placed': 'refusal',
  'order-not-cancellable': 'refusal',
  'line-not-found': 'not-found',
  'units-not-shippable': 'refusal',
  'line-not-cancellable': 'refusal',
  'line-not-substitutable': 'refusal',
  'inconsistent-outcome': 'refusal',
};

/** Thrown by `decide`. Messages name ids and quantities only, never the customer's email. */
export class OrderDomainError extends domainErrorClass('OrderDomainError', kindOf) {}

export const isOrderDomainError = (error: unknown): error is OrderDomainError => error instanceof OrderDomainError;
