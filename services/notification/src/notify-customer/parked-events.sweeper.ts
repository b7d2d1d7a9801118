import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { NotifyCustomerHandler } from './notify-customer.handler.js';
import type { ParkedEventsRepository } from './parked-events.repository.js';

const ORDERS_PER_SWEEP = 50;

/**
 * Releases events parked for an OrderPlaced that did not come within `timeoutMs` (see NotifyCustomerHandler), so
 * nothing waits forever. Runs in every replica; the order lock makes concurrent sweeps release each order once.
 */
export class ParkedEventsSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly pool: Pool,
    private readonly parked: ParkedEventsRepository,
    private readonly handler: NotifyCustomerHandler,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
    /** How often to look; a fraction of the timeout so an order waits at most about 1.25 x timeoutMs. */
    private readonly intervalMs = Math.max(100, Math.min(5_000, Math.floor(timeoutMs / 4))),
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass over the overdue orders; returns how many events were released. */
  async sweep(): Promise<number> {
    let released = 0;
    for (const orderId of await this.parked.overdueOrders(this.pool, this.timeoutMs, ORDERS_PER_SWEEP)) {
      if (this.stopped) break;
      try {
        released += await this.handler.releaseOverdue(orderId);
      } catch (error) {
        // One order's failure must not hold back the others; it stays parked and is tried again next pass.
        this.logger.error({ orderId, err: error }, 'releasing parked events failed; will retry');
      }
    }
    return released;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sweep()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.error({ err: error }, 'parked-event sweep failed; will retry'))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, this.intervalMs);
  }
}
