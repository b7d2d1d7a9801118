import { Inject, Injectable } from '@nestjs/common';
import { isConcurrencyError, type Tx } from '@fulfillment/eventstore';
import { TOPICS } from '@fulfillment/contracts';
import { RUNTIME, type ServiceRuntime } from '@fulfillment/platform';
import { PurchaseOrdersRepository } from './purchase-orders.repository.js';
import { SupplierUnitOfWork } from './supplier-unit-of-work.js';

/** Runs work in one transaction around a unit of work that is committed when the work returns. */
@Injectable()
export class SupplierTransactions {
  constructor(
    @Inject(RUNTIME) private readonly rt: ServiceRuntime,
    private readonly repository: PurchaseOrdersRepository,
  ) {}

  run<T>(work: (uow: SupplierUnitOfWork, tx: Tx) => Promise<T>): Promise<T> {
    const { store, topics } = this.rt;
    return store.transaction(async (tx) => {
      const uow = new SupplierUnitOfWork({
        store,
        tx,
        repository: this.repository,
        eventsTopic: topics.name(TOPICS.supplierEvents),
      });
      const result = await work(uow, tx);
      await uow.commit();
      return result;
    });
  }

  /**
   * For HTTP requests: a purchase order changed by someone else between load and append is decided again once on
   * the new state (the stream lock makes that rare); a second conflict reaches the client as 412.
   */
  async runWithRetry<T>(work: (uow: SupplierUnitOfWork, tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await this.run(work);
    } catch (error) {
      if (!isConcurrencyError(error)) throw error;
      this.rt.logger.warn({ streamId: error.streamId }, 'concurrent write; deciding again');
      return this.run(work);
    }
  }
}
