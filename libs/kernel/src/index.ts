export type { Decider } from './decider.js';
export { DomainError, isDomainError, type DomainErrorKind } from './domain-error.js';
export { assertNever } from './assert-never.js';
export { nameBasedId } from './name-based-id.js';
