import { isDeepStrictEqual } from 'node:util';
import type { JsonSchema } from '../snapshot.js';

/**
 * Can a reader validating with `current` read every value `published` accepted? Compares two JSON Schemas of the
 * shape zod emits (draft 2020-12: type, properties, required, items, anyOf/oneOf, enum, const, string/number/array
 * bounds, format, pattern, additionalProperties) and lists where `current` refuses something `published` allowed.
 *
 * The rules (BACKWARD compatibility in schema-registry terms, strict about fields consumers rely on):
 * - `required-field-added`: `current` requires a field that `published` did not (new, or optional before) and gives it
 *   no `default`: data written before may lack it. A field with a default is filled in on read and passes.
 * - `required-field-removed`: a field `published` required is gone from `current`. A lenient reader would ignore it,
 *   but consumers of our topics rely on required fields, so removing one, or renaming it (a removal plus an
 *   addition), is breaking. Removing an optional field passes; adding an optional field passes.
 * - `field-refused`: `current` forbids properties it does not list (`additionalProperties: false`) and a property
 *   `published` knew is not listed, or `published` allowed unlisted properties at all.
 * - `type-changed`: a JSON type `published` accepted is not accepted any more (string -> number, number -> integer,
 *   an array's item type, a schema that accepted anything and now does not).
 * - `nullable-removed`: `published` accepted null and `current` does not.
 * - `enum-narrowed`: an enum or const value `published` accepted is gone, or a free value became an enum.
 * - `constraint-narrowed`: a bound is tighter (minLength, maxLength, minimum, maximum and their exclusive forms,
 *   minItems, maxItems), or a `format` or `pattern` was added or changed. Patterns are compared as text: proving one
 *   regular expression accepts all another does is undecidable in general, so any change counts.
 * - `unverifiable`: any other validating keyword that differs (allOf, not, multipleOf, ...): the gate cannot prove
 *   old data still passes, so it says so rather than guess.
 * Nested objects (`properties`, `additionalProperties`) and arrays (`items`) are walked; paths read like
 * `$.data.lines[*].quantity`. Union branches (anyOf/oneOf) are matched per JSON type: every type a published branch
 * accepted needs a current branch of that type that accepts at least as much.
 */
export type IncompatibilityRule =
  | 'required-field-added'
  | 'required-field-removed'
  | 'field-refused'
  | 'type-changed'
  | 'nullable-removed'
  | 'enum-narrowed'
  | 'constraint-narrowed'
  | 'unverifiable';

export interface Incompatibility {
  readonly path: string;
  readonly rule: IncompatibilityRule;
  readonly detail: string;
}

type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

/** Keywords that never change which values validate. */
const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$comment',
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
]);

/** Keywords this module compares itself; any other validating keyword is compared for equality only. */
const UNDERSTOOD = new Set([
  'type',
  'anyOf',
  'oneOf',
  'enum',
  'const',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'items',
  'minItems',
  'maxItems',
  'properties',
  'required',
  'additionalProperties',
]);

export function findIncompatibilities(published: JsonSchema, current: JsonSchema, path = '$'): Incompatibility[] {
  const currentBranches = branchesOf(current);
  if (currentBranches.some(acceptsAnything)) return [];
  const issues: Incompatibility[] = [];
  for (const oldBranch of branchesOf(published)) {
    const oldTypes = typesOf(oldBranch);
    if (oldTypes === 'any') {
      issues.push({ path, rule: 'type-changed', detail: `accepted any value, now only ${describeTypes(currentBranches)}` });
      continue;
    }
    for (const type of oldTypes) {
      const candidates = currentBranches.filter((branch) => acceptsType(branch, type));
      if (candidates.length === 0) {
        issues.push(
          type === 'null'
            ? { path, rule: 'nullable-removed', detail: 'accepted null, now does not' }
            : { path, rule: 'type-changed', detail: `accepted ${type}, now only ${describeTypes(currentBranches)}` },
        );
        continue;
      }
      // Any one current branch accepting everything of this type is enough; otherwise report the closest attempt.
      const attempts = candidates.map((branch) => compareSameType(oldBranch, branch, type, path));
      if (!attempts.some((attempt) => attempt.length === 0)) issues.push(...attempts[0]);
    }
  }
  return issues;
}

function compareSameType(published: JsonSchema, current: JsonSchema, type: JsonType, path: string): Incompatibility[] {
  const issues: Incompatibility[] = [...compareValues(published, current, type, path)];
  if (type === 'string') issues.push(...compareStrings(published, current, path));
  if (type === 'number' || type === 'integer') issues.push(...compareNumbers(published, current, type, path));
  if (type === 'array') issues.push(...compareArrays(published, current, path));
  if (type === 'object') issues.push(...compareObjects(published, current, path));
  issues.push(...compareOtherKeywords(published, current, path));
  return issues;
}

function compareValues(published: JsonSchema, current: JsonSchema, type: JsonType, path: string): Incompatibility[] {
  const newValues = allowedValues(current, type);
  if (newValues === null) return [];
  const oldValues = allowedValues(published, type);
  if (oldValues === null) {
    return [{ path, rule: 'enum-narrowed', detail: `accepted any ${type}, now only ${newValues.map(show).join(', ')}` }];
  }
  const dropped = oldValues.filter((value) => !newValues.some((candidate) => isDeepStrictEqual(candidate, value)));
  return dropped.length === 0
    ? []
    : [{ path, rule: 'enum-narrowed', detail: `no longer accepts ${dropped.map(show).join(', ')}` }];
}

function compareStrings(published: JsonSchema, current: JsonSchema, path: string): Incompatibility[] {
  const issues: Incompatibility[] = [];
  if (current.format !== undefined && current.format !== published.format) {
    issues.push({ path, rule: 'constraint-narrowed', detail: `format ${show(published.format)} became ${show(current.format)}` });
  }
  if (current.pattern !== undefined && current.pattern !== published.pattern) {
    issues.push({ path, rule: 'constraint-narrowed', detail: 'pattern added or changed' });
  }
  issues.push(...lowerBound(published.minLength, current.minLength, 'minLength', path));
  issues.push(...upperBound(published.maxLength, current.maxLength, 'maxLength', path));
  return issues;
}

function compareNumbers(published: JsonSchema, current: JsonSchema, type: JsonType, path: string): Incompatibility[] {
  const oldRange = rangeOf(published, type);
  const newRange = rangeOf(current, type);
  const issues: Incompatibility[] = [];
  if (isTighterLow(oldRange.low, newRange.low)) {
    issues.push({ path, rule: 'constraint-narrowed', detail: `lower bound ${showBound(oldRange.low, '>')} became ${showBound(newRange.low, '>')}` });
  }
  if (isTighterHigh(oldRange.high, newRange.high)) {
    issues.push({ path, rule: 'constraint-narrowed', detail: `upper bound ${showBound(oldRange.high, '<')} became ${showBound(newRange.high, '<')}` });
  }
  return issues;
}

function compareArrays(published: JsonSchema, current: JsonSchema, path: string): Incompatibility[] {
  const issues: Incompatibility[] = [
    ...lowerBound(published.minItems, current.minItems, 'minItems', path),
    ...upperBound(published.maxItems, current.maxItems, 'maxItems', path),
  ];
  if (isSchema(current.items)) {
    issues.push(...findIncompatibilities(isSchema(published.items) ? published.items : {}, current.items, `${path}[*]`));
  }
  return issues;
}

function compareObjects(published: JsonSchema, current: JsonSchema, path: string): Incompatibility[] {
  const issues: Incompatibility[] = [];
  const oldProperties = propertiesOf(published);
  const newProperties = propertiesOf(current);
  const oldRequired = new Set(published.required ?? []);
  const closed = current.additionalProperties === false;

  for (const [name, oldProperty] of Object.entries(oldProperties)) {
    const fieldPath = `${path}.${name}`;
    const newProperty = newProperties[name];
    if (newProperty !== undefined) {
      issues.push(...findIncompatibilities(oldProperty, newProperty, fieldPath));
    } else if (oldRequired.has(name)) {
      issues.push({ path: fieldPath, rule: 'required-field-removed', detail: 'required field removed or renamed; consumers rely on it' });
    } else if (closed) {
      issues.push({ path: fieldPath, rule: 'field-refused', detail: 'optional field removed while unknown fields are now refused' });
    } else {
      issues.push(...compareAdditional(oldProperty, current, fieldPath));
    }
  }

  for (const name of current.required ?? []) {
    if (oldRequired.has(name)) continue;
    const newProperty = newProperties[name];
    if (newProperty !== undefined && newProperty.default !== undefined) continue;
    issues.push({
      path: `${path}.${name}`,
      rule: 'required-field-added',
      detail: `${name in oldProperties ? 'optional field became required' : 'new required field'} without a default; data written before may lack it`,
    });
  }

  if (published.additionalProperties !== false) {
    if (closed) {
      issues.push({ path, rule: 'field-refused', detail: 'unknown fields were allowed, now refused' });
    } else if (isSchema(current.additionalProperties)) {
      const oldAdditional = isSchema(published.additionalProperties) ? published.additionalProperties : {};
      issues.push(...findIncompatibilities(oldAdditional, current.additionalProperties, `${path}.*`));
    }
  }
  return issues;
}

/** A property `published` listed that `current` only covers through `additionalProperties`. */
function compareAdditional(oldProperty: JsonSchema, current: JsonSchema, fieldPath: string): Incompatibility[] {
  return isSchema(current.additionalProperties) ? findIncompatibilities(oldProperty, current.additionalProperties, fieldPath) : [];
}

function compareOtherKeywords(published: JsonSchema, current: JsonSchema, path: string): Incompatibility[] {
  return Object.keys(current)
    .filter((keyword) => !ANNOTATIONS.has(keyword) && !UNDERSTOOD.has(keyword))
    .filter((keyword) => !isDeepStrictEqual(current[keyword], published[keyword]))
    .map((keyword) => ({ path, rule: 'unverifiable' as const, detail: `keyword "${keyword}" added or changed; cannot prove old data still passes` }));
}

function branchesOf(schema: JsonSchema): JsonSchema[] {
  const union = schema.anyOf ?? schema.oneOf;
  if (union === undefined) return [schema];
  // The union's siblings (e.g. a description, or a default zod puts next to anyOf) apply to every branch.
  const { anyOf: _anyOf, oneOf: _oneOf, ...shared } = schema;
  return union.flatMap((branch) => branchesOf({ ...shared, ...(branch as JsonSchema) }));
}

function typesOf(schema: JsonSchema): JsonType[] | 'any' {
  if (Array.isArray(schema.type)) return schema.type as JsonType[];
  if (typeof schema.type === 'string') return [schema.type as JsonType];
  const values = allValues(schema);
  if (values !== null) return [...new Set(values.map(jsonTypeOf))];
  return 'any';
}

function acceptsAnything(schema: JsonSchema): boolean {
  return Object.keys(schema).every((keyword) => ANNOTATIONS.has(keyword));
}

function acceptsType(schema: JsonSchema, type: JsonType): boolean {
  const types = typesOf(schema);
  if (types === 'any') return true;
  return types.includes(type) || (type === 'integer' && types.includes('number'));
}

function allValues(schema: JsonSchema): unknown[] | null {
  if (schema.const !== undefined) return [schema.const];
  if (Array.isArray(schema.enum)) return schema.enum as unknown[];
  return null;
}

function allowedValues(schema: JsonSchema, type: JsonType): unknown[] | null {
  const values = allValues(schema);
  return values === null ? null : values.filter((value) => jsonTypeOf(value) === type || (type === 'number' && jsonTypeOf(value) === 'integer'));
}

function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

interface Bound {
  readonly value: number;
  readonly exclusive: boolean;
}

/** Bounds of a number schema; for integers an exclusive bound is the inclusive one next to it (> 0 is >= 1). */
function rangeOf(schema: JsonSchema, type: JsonType): { low?: Bound; high?: Bound } {
  const low = tightest(schema.minimum, schema.exclusiveMinimum, 'low');
  const high = tightest(schema.maximum, schema.exclusiveMaximum, 'high');
  if (type !== 'integer') return { low, high };
  return {
    low: low && { value: low.exclusive ? Math.floor(low.value) + 1 : Math.ceil(low.value), exclusive: false },
    high: high && { value: high.exclusive ? Math.ceil(high.value) - 1 : Math.floor(high.value), exclusive: false },
  };
}

function tightest(inclusive: unknown, exclusive: unknown, side: 'low' | 'high'): Bound | undefined {
  const bounds: Bound[] = [];
  if (typeof inclusive === 'number') bounds.push({ value: inclusive, exclusive: false });
  if (typeof exclusive === 'number') bounds.push({ value: exclusive, exclusive: true });
  if (bounds.length === 0) return undefined;
  return bounds.reduce((a, b) => (side === 'low' ? (isTighterLow(a, b) ? b : a) : isTighterHigh(a, b) ? b : a));
}

function isTighterLow(before: Bound | undefined, after: Bound | undefined): boolean {
  if (after === undefined) return false;
  if (before === undefined) return true;
  return after.value > before.value || (after.value === before.value && after.exclusive && !before.exclusive);
}

function isTighterHigh(before: Bound | undefined, after: Bound | undefined): boolean {
  if (after === undefined) return false;
  if (before === undefined) return true;
  return after.value < before.value || (after.value === before.value && after.exclusive && !before.exclusive);
}

function lowerBound(before: number | undefined, after: number | undefined, name: string, path: string): Incompatibility[] {
  return after !== undefined && after > (before ?? 0)
    ? [{ path, rule: 'constraint-narrowed', detail: `${name} ${before ?? 'none'} became ${after}` }]
    : [];
}

function upperBound(before: number | undefined, after: number | undefined, name: string, path: string): Incompatibility[] {
  return after !== undefined && after < (before ?? Infinity)
    ? [{ path, rule: 'constraint-narrowed', detail: `${name} ${before ?? 'none'} became ${after}` }]
    : [];
}

function propertiesOf(schema: JsonSchema): Readonly<Record<string, JsonSchema>> {
  return (schema.properties ?? {}) as Readonly<Record<string, JsonSchema>>;
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeTypes(branches: readonly JsonSchema[]): string {
  const types = branches.map(typesOf);
  return types.includes('any') ? 'any value' : [...new Set(types.flat())].join(' | ');
}

function showBound(bound: Bound | undefined, sign: '>' | '<'): string {
  return bound === undefined ? 'none' : `${sign}${bound.exclusive ? '' : '='} ${bound.value}`;
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? 'none';
}
