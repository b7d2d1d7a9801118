// Advisory locks use the two-int4 key space with a class id of our own, so they cannot collide with locks that other
// code takes with a single bigint key.
export const LockClass = {
  migration: 0x4553_0001,
  stream: 0x4553_0002,
  outboxRelay: 0x4553_0003,
} as const;
