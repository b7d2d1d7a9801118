import type { DeliveryChannel, DueDelivery } from './deliveries.repository.js';

/** Sends one notification on one channel; rejects when it was not accepted (UndeliverableError: never will be). */
export interface ChannelSender {
  readonly channel: DeliveryChannel;
  send(delivery: DueDelivery): Promise<void>;
  close?(): void;
}
