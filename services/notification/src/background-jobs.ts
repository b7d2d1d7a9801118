import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { DeliveryWorker } from './deliver-notifications/delivery.worker.js';
import type { ParkedEventsSweeper } from './notify-customer/parked-events.sweeper.js';

/** Starts the loops that run beside the consumer once the app is up, and stops them before the pool is closed. */
export class BackgroundJobs implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    private readonly sweeper: ParkedEventsSweeper,
    private readonly workers: readonly DeliveryWorker[],
  ) {}

  onApplicationBootstrap(): void {
    this.sweeper.start();
    for (const worker of this.workers) worker.start();
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.sweeper.stop(), ...this.workers.map((worker) => worker.stop())]);
  }
}
