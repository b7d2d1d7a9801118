/** Compile-time exhaustiveness of a switch; at run time it only fires on input that bypassed the types. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
