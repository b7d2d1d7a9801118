import type { Inbox, PostgresEventStore, Tx } from '@fulfillment/eventstore';
import { isInventoryDomainError } from '@fulfillment/inventory-domain';
import { NonRetryableError, type ConsumedMessage } from '@fulfillment/messaging';

/**
 * Runs `apply` for the messages never handled before, in ONE transaction with their inbox claims, so a redelivered
 * message (the same envelope id, in this batch or a later one) has its effect once. A domain refusal can never
 * succeed on retry and becomes a NonRetryableError: the consumer then isolates the refused message and dead-letters
 * it with the reason. Anything else (a lost connection, a concurrency conflict) is rethrown to be retried.
 */
export async function applyOnce(
  store: PostgresEventStore,
  inbox: Inbox,
  messages: readonly ConsumedMessage[],
  apply: (tx: Tx, fresh: ConsumedMessage[]) => Promise<void>,
): Promise<number> {
  try {
    return await store.transaction(async (tx) => {
      const claimed = await inbox.claim(
        tx,
        messages.map((message) => message.envelope.id),
      );
      // Deleting as we go keeps only the first of two copies of one envelope inside the same batch.
      const fresh = messages.filter((message) => claimed.delete(message.envelope.id));
      if (fresh.length > 0) await apply(tx, fresh);
      return fresh.length;
    });
  } catch (error) {
    if (isInventoryDomainError(error)) throw new NonRetryableError(`${error.code}: ${error.message}`, { cause: error });
    throw error;
  }
}
