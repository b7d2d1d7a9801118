import { normalizeInstant, type IsoInstant } from '@fulfillment/time';
import { SupplierDomainError } from './supplier-domain.error.js';

// The checks of a command's fields every supplier decision makes: each returns the field's value (an instant
// normalized) or refuses the command as invalid, naming the field.

export const invalid = (message: string): SupplierDomainError => new SupplierDomainError('invalid-command', message);

export function text(value: string, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(`${field}: must be a non-empty string`);
  return value;
}

export function positiveInteger(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw invalid(`${field}: must be a positive integer, got ${value}`);
  return value;
}

export function instant(value: IsoInstant, field: string): IsoInstant {
  const normalized = normalizeInstant(value);
  if (normalized === null) throw invalid(`${field}: must be an ISO-8601 date-time with a zone`);
  return normalized;
}
