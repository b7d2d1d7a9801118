import { PeriodicTask } from '@fulfillment/platform';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { NotifyCustomerHandler } from './notify-customer.handler.js';
import type { ParkedEventsRepository } from './parked-events.repository.js';

const ORDERS_PER_SWEEP = 50;

/**
 * Releases events parked for an OrderPlaced that did not come within `timeoutMs` (see NotifyCustomerHandler), so
 * nothing waits forever, and copies of a BackInStock left behind an order released meanwhile (see
 * ParkedEventsRepository.parkBehindWaitingLines) at the next pass. Runs in every replica; the order lock makes
 * concurrent sweeps release each order once.
 */
export class ParkedEventsSweeper {
  private readonly sweeps: PeriodicTask;

  constructor(
    private readonly pool: Pool,
    private readonly parked: ParkedEventsRepository,
    private readonly handler: NotifyCustomerHandler,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
    /** How often to look; a fraction of the timeout so an order waits at most about 1.25 x timeoutMs. */
    intervalMs = Math.max(100, Math.min(5_000, Math.floor(timeoutMs / 4))),
  ) {
    this.sweeps = new PeriodicTask({
      run: async () => void (await this.sweep()),
      intervalMs,
      onError: (error) => this.logger.error({ err: error }, 'parked-event sweep failed; will retry'),
    });
  }

  start(): void {
    this.sweeps.start();
  }

  async stop(): Promise<void> {
    await this.sweeps.stop();
  }

  /** One pass over the orders to release; returns how many events were released. */
  async sweep(): Promise<number> {
    let released = 0;
    for (const orderId of await this.parked.ordersToRelease(this.pool, this.timeoutMs, ORDERS_PER_SWEEP)) {
      if (this.sweeps.stopped) break;
      try {
        released += await this.handler.releaseOverdue(orderId);
      } catch (error) {
        // One order's failure must not hold back the others; it stays parked and is tried again next pass.
        this.logger.error({ orderId, err: error }, 'releasing parked events failed; will retry');
      }
    }
    return released;
  }

}
