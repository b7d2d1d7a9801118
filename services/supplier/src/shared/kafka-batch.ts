import type { Inbox, Tx } from '@fulfillment/eventstore';
import { NonRetryableError } from '@fulfillment/messaging';
import { isSupplierDomainError } from '@fulfillment/supplier-domain';

/**
 * The messages of a batch this consumer has not applied yet, claimed in `tx` so that the claim commits or rolls
 * back with their effects. A message redelivered within one batch is kept once.
 */
export async function claimFresh<M extends { id: string }>(
  tx: Tx,
  inbox: Inbox,
  messages: readonly M[],
): Promise<{ fresh: M[]; duplicates: number }> {
  const claimed = await inbox.claim(tx, [...new Set(messages.map((m) => m.id))]);
  const fresh = messages.filter((m) => claimed.delete(m.id));
  return { fresh, duplicates: messages.length - fresh.length };
}

/** A message the domain refuses can never succeed: it is dead-lettered at once with the reason. */
export function refusal(message: { type: string; id: string }, reason: string, cause?: unknown): NonRetryableError {
  return new NonRetryableError(`${message.type} ${message.id} refused: ${reason}`, { cause });
}

/** Runs `work` for one message, turning a domain refusal into a `NonRetryableError` naming the message. */
export async function refusingAsNonRetryable<T>(message: { type: string; id: string }, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isSupplierDomainError(error)) throw refusal(message, `${error.code}: ${error.message}`, error);
    throw error;
  }
}
