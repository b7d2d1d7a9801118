import { domainErrorClass, type DomainErrorKind } from '@fulfillment/kernel';

export type OrderErrorKind = DomainErrorKind;

/** Every code of the domain, and how a shell answers it. */
const kindOf = {
  'invalid-command': 'invalid',
  'order-not-found': 'not-found',
  'order-already-placed': 'refusal',
  'order-not-cancellable': 'refusal',
  'line-not-found': 'not-found',
  'units-not-shippable': 'refusal',
  'line-not-cancellable': 'refusal',
  'line-not-substitutable': 'refusal',
  'inconsistent-outcome': 'refusal',
} as const satisfies Readonly<Record<string, OrderErrorKind>>;

export type OrderErrorCode = keyof typeof kindOf;

/** Thrown by `decide`. Messages name ids and quantities only, never the customer's email. */
export class OrderDomainError extends domainErrorClass('OrderDomainError', kindOf) {}

export const isOrderDomainError = (error: unknown): error is OrderDomainError => error instanceof OrderDomainError;
