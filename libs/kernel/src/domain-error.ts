/**
 * How a shell answers a refusal: `invalid` is a command no state could accept (HTTP 400 naming the field the message
 * starts with), `not-found` names an aggregate that does not exist (404), `refusal` is a rule of the domain (409). On
 * Kafka every kind is the message's fault and goes to the dead letters with the code and message as the reason.
 */
export type DomainErrorKind = 'invalid' | 'not-found' | 'refusal';

/**
 * The base of every domain's refusal. Messages name ids, fields and quantities only, never customer data: they reach
 * HTTP answers, logs and dead-letter headers.
 */
export abstract class DomainError<Code extends string = string> extends Error {
  readonly kind: DomainErrorKind;

  protected constructor(
    readonly code: Code,
    message: string,
    kindOf: Readonly<Record<Code, DomainErrorKind>>,
  ) {
    super(message);
    this.kind = kindOf[code];
  }

  /** For `invalid` errors: the field the message starts with (`lines[0].sku: must be ...` -> `lines[0].sku`). */
  get field(): string | undefined {
    if (this.kind !== 'invalid') return undefined;
    return /^([A-Za-z_][\w.[\]-]*): /.exec(this.message)?.[1];
  }
}

/**
 * The error class of one domain, whose codes `kindOf` maps to their kinds:
 * `class OrderDomainError extends domainErrorClass('OrderDomainError', kindOf) {}`.
 */
export function domainErrorClass<Code extends string, Kind extends DomainErrorKind>(
  name: string,
  kindOf: Readonly<Record<Code, Kind>>,
) {
  return class extends DomainError<Code> {
    override readonly name = name;
    declare readonly kind: Kind;

    constructor(code: Code, message: string) {
      super(code, message, kindOf);
    }
  };
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
