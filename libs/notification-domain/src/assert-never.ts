/** Compile-time exhaustiveness; at run time it only fires on input that bypassed the types. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
