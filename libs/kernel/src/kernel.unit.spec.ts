import { describe, expect, it } from '@jest/globals';
import {
  assertNever,
  decideByType,
  DomainError,
  domainErrorClass,
  isDomainError,
  nameBasedId,
  NO_UNITS,
  orderLineView,
  type DomainCommand,
  type DomainErrorKind,
} from './index.js';

type Code = 'bad-input' | 'missing' | 'not-allowed';
const kinds: Record<Code, DomainErrorKind> = { 'bad-input': 'invalid', missing: 'not-found', 'not-allowed': 'refusal' };
class ExampleError extends DomainError<Code> {
  constructor(code: Code, message: string) {
    super(code, message, kinds);
  }
}

describe('nameBasedId', () => {
  it('is the RFC 9562 version-5 UUID of the name (the RFC test vector)', () => {
    expect(nameBasedId('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('gives the ids the hand-written derivations gave, so ids derived before an upgrade are derived again', () => {
    // Values printed by the former supplier derivedId and notificationIdOf for the same inputs.
    expect(nameBasedId('5f1d7c2a-8e4b-4c3d-9a6b-0e2f7c1d4a8b', 'place-purchase-order/key-1')).toBe('eb2af64a-e6d9-54db-b370-4852e86a31d6');
    expect(nameBasedId('3f1c9f0e-5b7a-4c2e-9d41-8a6b2e0c7d15', 'e1', 'c1', 'backordered', 'email')).toBe(
      'fc1f83f5-98b3-52c7-8662-9f783495d3d5',
    );
  });

  it('keeps tuples apart that a joined string would confuse', () => {
    const ns = '3f1c9f0e-5b7a-4c2e-9d41-8a6b2e0c7d15';
    expect(nameBasedId(ns, 'a/b', 'c')).not.toBe(nameBasedId(ns, 'a', 'b/c'));
  });
});

describe('DomainError', () => {
  it('carries its code and kind, and the field an invalid command names', () => {
    const error = new ExampleError('bad-input', 'lines[0].sku: must be a non-empty string');
    expect(isDomainError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'bad-input', kind: 'invalid', field: 'lines[0].sku' });
    expect(new ExampleError('not-allowed', 'order o-1: shipped units cannot be cancelled').field).toBeUndefined();
    expect(isDomainError(new Error('plain'))).toBe(false);
  });
});

describe('assertNever', () => {
  it('throws on a value that bypassed the types', () => {
    expect(() => assertNever('x' as never, 'command')).toThrow('unexpected command: "x"');
  });
});

describe('domainErrorClass', () => {
  class MadeError extends domainErrorClass('MadeError', kinds) {}

  it('makes a domain error class of its own name whose codes have the kinds of the table', () => {
    const error = new MadeError('missing', 'x-1: not found');
    expect(error).toBeInstanceOf(MadeError);
    expect(isDomainError(error)).toBe(true);
    expect(error).toMatchObject({ name: 'MadeError', code: 'missing', kind: 'not-found', message: 'x-1: not found' });
    expect(new MadeError('bad-input', 'x: must be a number').field).toBe('x');
  });
});

describe('decideByType', () => {
  type Command = DomainCommand<'Add', { n: number }> | DomainCommand<'Negate', Record<string, never>>;
  const handlers = { Add: (data: { n: number }, state: number) => state + data.n, Negate: (_: unknown, state: number) => -state };
  const refuse = (type: string): never => {
    throw new Error(`unknown command ${type}`);
  };

  it('decides a command with the handler of its type, on its data', () => {
    expect(decideByType<Command, number, number>(handlers, { type: 'Add', data: { n: 2 } }, 40, refuse)).toBe(42);
    expect(decideByType<Command, number, number>(handlers, { type: 'Negate', data: {} }, 4, refuse)).toBe(-4);
  });

  it('hands a type no handler takes, inherited names included, to the refusal', () => {
    for (const type of ['Subtract', 'toString', '__proto__', undefined]) {
      expect(() => decideByType<Command, number, number>(handlers, { type, data: {} } as never, 0, refuse)).toThrow(
        `unknown command ${String(type)}`,
      );
    }
  });
});

describe('orderLineView', () => {
  it('keeps the view fields of a richer line, and a new line holds no units', () => {
    const line = { lineId: 'l-1', sku: 'S', quantity: 2, ...NO_UNITS, reserved: 2, expectedAt: null, inventory: {}, releasing: 0 };
    const view = orderLineView(line);
    // The view's fields in the view's order, which is the order the published view lists them in.
    expect(Object.entries(view)).toEqual([
      ['lineId', 'l-1'],
      ['sku', 'S'],
      ['quantity', 2],
      ['reserved', 2],
      ['allocated', 0],
      ['backordered', 0],
      ['unavailable', 0],
      ['released', 0],
      ['shipped', 0],
      ['expectedAt', null],
    ]);
  });
});
