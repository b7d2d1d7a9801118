export { decideByType, type CommandHandlers, type Decider, type DomainCommand, type DomainEvent, type DomainMessage } from './decider.js';
export { DomainError, domainErrorClass, isDomainError, type DomainErrorKind } from './domain-error.js';
export { assertNever } from './assert-never.js';
export { nameBasedId } from './name-based-id.js';
export { NOTIFICATION_KINDS, type NotificationKind } from './notification-kinds.js';
export { NO_UNITS, orderLineView, type OrderLineView, type OrderStatus } from './order-line-view.js';
