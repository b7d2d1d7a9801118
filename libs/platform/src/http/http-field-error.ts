/** A request the edge refuses, naming the field, parameter or header at fault: `<field>: <problem>`. */
export class HttpFieldError extends Error {
  override readonly name = 'HttpFieldError';

  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422,
    readonly field: string | undefined,
    problem: string,
    readonly code?: string,
  ) {
    super(field === undefined ? problem : `${field}: ${problem}`);
  }
}
