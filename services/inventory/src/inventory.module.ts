import { Module } from '@nestjs/common';
import type { PostgresEventStore } from '@fulfillment/eventstore';
import { EVENT_STORE, LOGGER, METRICS_REGISTRY, PG_POOL, RUNTIME, type ServiceRuntime } from '@fulfillment/platform';
import type pg from 'pg';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { AdjustStockHttpController } from './adjust-stock/adjust-stock.http.controller.js';
import { ConfigureSkuHttpController } from './configure-sku/configure-sku.http.controller.js';
import { GetSkuHttpController } from './get-sku/get-sku.http.controller.js';
import type { InventoryExtraConfig } from './inventory.config.js';
import { ListSkusHttpController } from './list-skus/list-skus.http.controller.js';
import { OrderEventsKafkaController } from './order-events/order-events.kafka.controller.js';
import { OrderLinesRepository } from './order-events/order-lines.repository.js';
import { PLANNING_PROJECTION, PlanningProjection } from './planning/planning.projection.js';
import { PlanningQueries } from './planning/planning.queries.js';
import { registerBackorderMetrics } from './planning/backorder.metrics.js';
import { ReportBackordersHttpController } from './report-backorders/report-backorders.http.controller.js';
import { SkuPipeline } from './sku/sku.pipeline.js';
import { SupplierEventsKafkaController } from './supplier-events/supplier-events.kafka.controller.js';
import { ExpirySweep } from './sweep-backorders/expiry-sweep.job.js';

/** The runtime reaches the providers through the platform's global tokens (RUNTIME, EVENT_STORE, PG_POOL, ...). */
@Module({
  controllers: [
    ConfigureSkuHttpController,
    AdjustStockHttpController,
    GetSkuHttpController,
    OrderEventsKafkaController,
    SupplierEventsKafkaController,
    ListSkusHttpController,
    ReportBackordersHttpController,
  ],
  providers: [
    SkuPipeline,
    OrderLinesRepository,
    {
      provide: ExpirySweep,
      inject: [EVENT_STORE, SkuPipeline, RUNTIME, LOGGER, METRICS_REGISTRY],
      useFactory: (store: PostgresEventStore, skus: SkuPipeline, rt: ServiceRuntime<InventoryExtraConfig>, logger: Logger, registry: Registry) =>
        new ExpirySweep(store, skus, {
          intervalMs: rt.config.extra.EXPIRY_SWEEP_INTERVAL_MS,
          logger,
          swept: new Counter({
            name: 'inventory_expiry_sweep_skus_total',
            help: 'SKUs the expiry sweep sent SweepBackorders, by outcome (changed: an expiry or a release; unchanged; failed)',
            labelNames: ['outcome'],
            registers: [registry],
          }),
        }),
    },
    {
      provide: PlanningProjection,
      inject: [EVENT_STORE, LOGGER, RUNTIME],
      useFactory: (store: PostgresEventStore, logger: Logger, rt: ServiceRuntime) => {
        const planning = new PlanningProjection(store, { logger });
        // POST /admin/projections/planning/rebuild
        rt.admin.register({ name: PLANNING_PROJECTION, rebuild: (onProgress) => planning.rebuild(onProgress) });
        return planning;
      },
    },
    {
      provide: PlanningQueries,
      inject: [PG_POOL, METRICS_REGISTRY, RUNTIME, LOGGER],
      useFactory: (pool: pg.Pool, registry: Registry, rt: ServiceRuntime<InventoryExtraConfig>, logger: Logger) => {
        const planning = new PlanningQueries(pool);
        registerBackorderMetrics(registry, planning, rt.config.extra.METRICS_QUEUE_TOP_SKUS, logger);
        return planning;
      },
    },
  ],
})
export class InventoryModule {}
