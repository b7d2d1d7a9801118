import { backoffDelay } from '@fulfillment/messaging';
import { PeriodicTask } from '@fulfillment/platform';
import type { Logger } from 'pino';
import type { ChannelSender } from './channel-sender.js';
import type { DeliveriesRepository, DueDelivery } from './deliveries.repository.js';
import { describeDeliveryError, UndeliverableError } from './delivery-error.js';

export interface DeliveryPolicy {
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** Sends in flight at once for this channel. */
  readonly concurrency: number;
  readonly pollMs: number;
  /** Longest a send may take; the claim's lease is longer, so a row is never sent twice at once. */
  readonly timeoutMs: number;
}

export type DeliveryOutcome = 'sent' | 'retry' | 'failed' | 'skipped';

export interface DeliveryCounter {
  inc(labels: { channel: string; outcome: DeliveryOutcome }): void;
}

/** How long to wait for in-flight sends on shutdown before leaving them to their lease. */
const STOP_GRACE_MS = 5_000;

/**
 * Sends one channel's pending deliveries, apart from the Kafka consumer so a slow or failing endpoint never holds back
 * consumption. Up to `concurrency` sends run at once and a free slot is refilled as soon as one finishes, so one slow
 * customer's delivery occupies one slot, not the whole worker; a failed attempt is rescheduled with exponential backoff
 * (its row is simply not due until then), and after `maxAttempts` it is marked failed.
 */
export class DeliveryWorker {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly polls: PeriodicTask;

  constructor(
    private readonly sender: ChannelSender,
    private readonly deliveries: DeliveriesRepository,
    private readonly policy: DeliveryPolicy,
    private readonly logger: Logger,
    private readonly counter?: DeliveryCounter,
  ) {
    this.polls = new PeriodicTask({ run: () => this.poll(), intervalMs: policy.pollMs, firstDelayMs: 0 });
  }

  start(): void {
    this.polls.start();
  }

  async stop(): Promise<void> {
    await this.polls.stop();
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((resolve) => (grace = setTimeout(resolve, STOP_GRACE_MS))),
    ]);
    clearTimeout(grace);
    this.sender.close?.();
  }

  /** One claim of due deliveries; answers when to look again. */
  private async poll(): Promise<number> {
    let next = this.policy.pollMs;
    try {
      const free = this.policy.concurrency - this.inFlight.size;
      if (free > 0) {
        const leaseMs = this.policy.timeoutMs * 2 + 5_000;
        const claimed = await this.deliveries.claimDue(this.sender.channel, free, leaseMs);
        for (const delivery of claimed) this.track(this.deliver(delivery));
        // A full claim suggests more are due: look again at once rather than after a poll interval.
        if (claimed.length === free) next = 0;
      }
    } catch (error) {
      this.logger.error({ channel: this.sender.channel, err: error }, 'claiming deliveries failed; will retry');
    }
    return next;
  }

  private track(sending: Promise<void>): void {
    const tracked = sending.finally(() => {
      this.inFlight.delete(tracked);
      this.polls.wake(0);
    });
    this.inFlight.add(tracked);
  }

  private async deliver(delivery: DueDelivery): Promise<void> {
    const { notificationId, channel, attempt } = delivery;
    const context = { notificationId, channel, kind: delivery.kind, customerId: delivery.customerId, attempt };
    try {
      await this.sender.send(delivery);
      await this.deliveries.markSent(notificationId);
      this.counter?.inc({ channel, outcome: 'sent' });
      this.logger.info(context, 'notification delivered');
    } catch (error) {
      await this.recordFailure(delivery, error, context).catch((recordError: unknown) =>
        // The lease brings the row back: it is tried again, which is what a failure asks for anyway.
        this.logger.error({ ...context, err: describeDeliveryError(recordError) }, 'recording a delivery failure failed'),
      );
    }
  }

  private async recordFailure(delivery: DueDelivery, error: unknown, context: object): Promise<void> {
    if (error instanceof UndeliverableError) {
      const reason = error.message;
      await this.deliveries.markSkipped(delivery.notificationId, reason);
      this.counter?.inc({ channel: delivery.channel, outcome: 'skipped' });
      this.logger.warn({ ...context, reason }, 'notification not deliverable; skipped');
      return;
    }
    const reason = describeDeliveryError(error);
    if (delivery.attempt >= this.policy.maxAttempts) {
      await this.deliveries.markAttemptFailed(delivery.notificationId, reason, null);
      this.counter?.inc({ channel: delivery.channel, outcome: 'failed' });
      this.logger.error({ ...context, reason }, 'notification delivery failed for good');
      return;
    }
    const retryInMs = backoffDelay(delivery.attempt, this.policy);
    await this.deliveries.markAttemptFailed(delivery.notificationId, reason, retryInMs);
    this.counter?.inc({ channel: delivery.channel, outcome: 'retry' });
    this.logger.warn({ ...context, reason, retryInMs }, 'notification delivery failed; will retry');
  }
}
