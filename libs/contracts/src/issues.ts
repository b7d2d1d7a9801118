import type { z } from 'zod';

// Reasons end up in DLQ headers and logs, so no message built here ever quotes the offending input: it may hold an
// email address or other customer data.

export const IS_REQUIRED = 'is required';

const FORMAT_NAMES: Readonly<Record<string, string>> = {
  datetime: 'an ISO-8601 date-time with a time zone',
  uuid: 'a UUID',
  email: 'an email address',
};

function withArticle(noun: string): string {
  if (noun === 'null' || noun === 'undefined') return noun;
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function quote(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

function countOf(origin: string, n: number | bigint): string {
  if (origin === 'string') return `${n} character${n === 1 ? '' : 's'}`;
  if (origin === 'array' || origin === 'set') return `${n} item${n === 1 ? '' : 's'}`;
  return String(n);
}

/**
 * Per-parse error map: schemas keep zod's defaults except where a field states its own rule
 * (e.g. "must be a positive integer"), and every message reads as a predicate after the field path.
 */
export const describeIssue: z.core.$ZodErrorMap = (issue) => {
  // A missing literal (e.g. "specversion") fails as a wrong value, yet the reader needs to hear it is missing.
  if (issue.input === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) {
    return IS_REQUIRED;
  }
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${withArticle(issue.expected)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${quote(issue.values[0])}`
        : `must be one of ${issue.values.map(quote).join(', ')}`;
    case 'invalid_format':
      return `must be ${FORMAT_NAMES[issue.format] ?? `a valid ${issue.format}`}`;
    case 'too_small':
      if (issue.origin === 'string' && issue.minimum === 1) return 'must not be empty';
      if (issue.origin === 'array' || issue.origin === 'set' || issue.origin === 'string') {
        return `must have at least ${countOf(issue.origin, issue.minimum)}`;
      }
      return `must be ${issue.inclusive ? '>=' : '>'} ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'array' || issue.origin === 'set' || issue.origin === 'string') {
        return `must have at most ${countOf(issue.origin, issue.maximum)}`;
      }
      return `must be ${issue.inclusive ? '<=' : '<'} ${issue.maximum}`;
    default:
      return undefined;
  }
};

/** A field-specific message that still lets a missing field read as "is required". */
export function unlessMissing(message: string): z.core.$ZodErrorMap {
  return (issue) => (issue.input === undefined ? undefined : message);
}

export function formatPath(root: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, segment) => (typeof segment === 'number' ? `${acc}[${segment}]` : `${acc}.${String(segment)}`),
    root,
  );
}

/** Long lists of issues would bloat a Kafka header; the first few are enough to find the producer's bug. */
const MAX_REPORTED_ISSUES = 5;

export function joinIssues(issues: readonly string[]): string {
  const shown = issues.slice(0, MAX_REPORTED_ISSUES).join('; ');
  const hidden = issues.length - MAX_REPORTED_ISSUES;
  return hidden > 0 ? `${shown}; and ${hidden} more` : shown;
}

export function dataIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${formatPath('data', issue.path)}: ${issue.message}`);
}

/** Where a binary-mode record carries an attribute, so a reason points at the header to fix. */
function binaryPlaceOf(attribute: string): string {
  if (attribute === 'data') return ' (the record value)';
  if (attribute === 'datacontenttype') return ' (header content-type)';
  return ` (header ce_${attribute})`;
}

export function envelopeIssues(error: z.ZodError, mode: 'structured' | 'binary' = 'structured'): string[] {
  return error.issues.map((issue) => {
    const attribute = String(issue.path[0] ?? '');
    const place = mode === 'binary' ? binaryPlaceOf(attribute) : '';
    if (issue.message === IS_REQUIRED) {
      return `envelope: missing required attribute "${attribute}"${place}`;
    }
    return `envelope: "${attribute}"${place} ${issue.message}`;
  });
}

/** Thrown when a producer tries to publish something the contract does not allow. */
export class ContractViolationError extends Error {
  override readonly name = 'ContractViolationError';

  constructor(
    readonly messageType: string,
    readonly issues: readonly string[],
  ) {
    super(`${messageType}: ${joinIssues(issues)}`);
  }
}
