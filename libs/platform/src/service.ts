import 'reflect-metadata';
import { type DynamicModule, Global, type INestApplication, Module, type Type } from '@nestjs/common';
import { APP_GUARD, NestFactory, Reflector } from '@nestjs/core';
import { IdempotencyKeys, Inbox, OutboxRelay, PostgresEventStore, eventStoreMigrations, outboxBacklog } from '@fulfillment/eventstore';
import { ConsumeOnce, InboxPruner, KafkaPublisher, createKafka } from '@fulfillment/messaging';
import type { Kafka, Admin } from 'kafkajs';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { DataSource, MigrationInterface } from 'typeorm';
import type { z } from 'zod';
import { loadConfig, redactUrl, type ServiceConfig, type ServiceName } from './config.js';
import { openDatabase } from './database.js';
import { NamespacedKafkaBatchTransport, TopicNames } from './topics.js';
import type { HealthCheck } from './health.js';
import { HttpAppModule } from './http-app.js';
import { configOrExit, startupFailed, stopOnSignals } from './app-lifecycle.js';
import { AUTH_DISABLED_WARNING } from './auth/auth-settings.js';
import { AuthGuard } from './http/auth.guard.js';
import { IDEMPOTENCY_POOL, IdempotencyInterceptor, IdempotencyRecorder } from './http/idempotency.js';
import { AdminController } from './admin/admin.controller.js';
import { platformMigrations } from './admin/admin-migrations.js';
import { AdminRegistry } from './admin/admin-registry.js';
import { createLogger } from './logging.js';
import { stopTracing } from './tracing.js';
import { createMetricsRegistry } from './metrics.js';
import { ConsumerLag } from './consumer-lag.js';
import { scrapeGauge } from './scrape-metrics.js';

import { LOGGER, RUNTIME } from './runtime-token.js';

export { LOGGER, RUNTIME };
const DEFAULT_RELAY_BATCH_SIZE = 1000;
export const EVENT_STORE = Symbol('EVENT_STORE');
export const PG_POOL = Symbol('PG_POOL');

/** Everything a service's adapters need, built before Nest starts so start-up failures are reported plainly. */
export interface ServiceRuntime<X = Record<string, unknown>> {
  config: ServiceConfig & { extra: X };
  logger: Logger;
  dataSource: DataSource;
  pool: pg.Pool;
  store: PostgresEventStore;
  kafka: Kafka;
  publisher: KafkaPublisher;
  registry: Registry;
  /** contract topic -> this deployment's topic (KAFKA_TOPIC_PREFIX) */
  topics: TopicNames;
  /** what the admin routes act on: the service registers its rebuildable projections here */
  admin: AdminRegistry;
}

/** The services' edge: the HTTP edge of every app (HttpAppModule), and the database, Kafka, auth guard and admin routes. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(rt: ServiceRuntime<unknown>, healthChecks: HealthCheck[]): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      imports: [HttpAppModule.forRoot(rt, healthChecks)],
      controllers: [AdminController],
      providers: [
        { provide: RUNTIME, useValue: rt },
        { provide: EVENT_STORE, useValue: rt.store },
        { provide: PG_POOL, useValue: rt.pool },
        { provide: IDEMPOTENCY_POOL, useValue: rt.pool },
        { provide: ConsumeOnce, useValue: new ConsumeOnce(rt.store, rt.config.service, rt.logger) },
        { provide: APP_GUARD, inject: [Reflector], useFactory: (reflector: Reflector) => new AuthGuard(reflector, rt.config.auth) },
        IdempotencyInterceptor,
        IdempotencyRecorder,
      ],
      exports: [RUNTIME, EVENT_STORE, PG_POOL, IDEMPOTENCY_POOL, ConsumeOnce, IdempotencyInterceptor, IdempotencyRecorder],
    };
  }
}

type MigrationClass = new () => MigrationInterface;

export interface ServiceDefinition<E extends z.ZodRawShape> {
  service: ServiceName;
  migrations: MigrationClass[];
  /** the service's root module, given the runtime */
  module: (rt: ServiceRuntime<z.infer<z.ZodObject<E>>>) => Type | DynamicModule;
  extraConfig?: E;
  /**
   * Outbox relay settings. The default batch of 1,000 rows publishes a 10,000-event burst to one partition in about
   * half the time 500 took (fewer broker round trips and outbox deletes); the relay's byte bound keeps such a batch
   * under the broker's record batch limit.
   */
  relay?: { batchSize?: number };
  /**
   * Partitions handled at once (default 1). Safe above 1 only for a service whose handlers lock what they change
   * (per-key order holds within a partition either way).
   */
  consumer?: { partitionsConsumedConcurrently?: number };
  /** extra Swagger / route setup before listen */
  configureApp?: (app: INestApplication, rt: ServiceRuntime<z.infer<z.ZodObject<E>>>) => void | Promise<void>;
}

async function retrying<T>(what: string, logger: Logger, fn: () => Promise<T>, attempts = 30): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= attempts) throw e;
      logger.warn({ attempt: i, err: (e as Error).message }, `${what} not reachable yet; retrying`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

function kafkaHealth(kafka: Kafka, transport: NamespacedKafkaBatchTransport): HealthCheck {
  let admin: Admin | undefined;
  return {
    name: 'kafka',
    async check() {
      try {
        admin ??= kafka.admin({ retry: { retries: 0 } });
        await admin.connect();
        await admin.describeCluster();
      } catch (e) {
        // A fresh admin next time: kafkajs keeps a broken connection's state.
        const old = admin;
        admin = undefined;
        await old?.disconnect().catch(() => undefined);
        throw e;
      }
      if (!transport.isHealthy()) throw new Error('consumer is not running');
    },
  };
}

/**
 * Starts a service: validated configuration (one line and exit 78 when a setting is bad), its own database created
 * and migrated, the outbox relay, the Kafka consumer (through Nest's microservice transport), HTTP, and a clean stop
 * on SIGTERM/SIGINT.
 */
export async function runService<E extends z.ZodRawShape>(def: ServiceDefinition<E>): Promise<INestApplication> {
  const config = configOrExit(() => loadConfig(def.service, process.env, def.extraConfig));
  const logger = createLogger(def.service, config.logLevel);
  try {
    logger.info({ database: redactUrl(config.databaseUrl), brokers: config.kafka.brokers }, 'starting');
    if (config.auth.disabled) logger.warn(AUTH_DISABLED_WARNING);
    const { dataSource, pool, applied } = await retrying('PostgreSQL', logger, () =>
      openDatabase({
        url: config.databaseUrl,
        migrations: [...(eventStoreMigrations as MigrationClass[]), ...platformMigrations, ...def.migrations],
        applicationName: `${def.service}-service`,
      }),
    );
    if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
    const registry = createMetricsRegistry(def.service);
    const store = new PostgresEventStore(pool);
    const kafka = createKafka(config.kafka, logger);
    const publisher = new KafkaPublisher(kafka, { logger });
    await retrying('Kafka', logger, () => publisher.connect());
    const relay = new OutboxRelay(pool, (batch) => publisher.publish(batch), {
      logger,
      batchSize: def.relay?.batchSize ?? DEFAULT_RELAY_BATCH_SIZE,
    });
    await relay.start();
    const topics = new TopicNames(config.kafka.topicPrefix);
    const admin = new AdminRegistry(logger);
    const rt: ServiceRuntime<z.infer<z.ZodObject<E>>> = { config, logger, dataSource, pool, store, kafka, publisher, registry, topics, admin };

    // Subscribes to the topics the service's @BatchEventPattern handlers name: they are declared once, there.
    const transport = new NamespacedKafkaBatchTransport(
      {
        kafka,
        groupId: config.kafka.groupId,
        logger,
        metrics: registry,
        partitionsConsumedConcurrently: def.consumer?.partitionsConsumedConcurrently ?? 1,
        consumerConfig: config.kafka.group,
      },
      topics,
    );
    const idempotencyKeys = new IdempotencyKeys();
    const pruneRetained = async (before: Date) => {
      const inbox = await Inbox.pruneAll(pool, before);
      const keys = await idempotencyKeys.prune(pool, new Date(Date.now() - config.retention.idempotencyKeyDays * 86_400_000));
      return inbox + keys;
    };
    const pruner = new InboxPruner(pruneRetained, { retentionDays: config.retention.inboxDays, logger });
    admin.prune = () => pruneRetained(new Date(Date.now() - config.retention.inboxDays * 86_400_000));
    scrapeGauge(registry, {
      name: 'outbox_backlog_messages',
      help: "Rows in the service's outbox not yet published to Kafka",
      read: async () => [{ value: await outboxBacklog(pool) }],
      logger,
    });
    const lag = new ConsumerLag(registry, {
      // A measurement that fails is simply tried again at the next interval.
      admin: kafka.admin({ retry: { retries: 1 } }),
      groupId: config.kafka.groupId,
      topics: () => transport.subscribedTopics(),
      label: (topic) => topics.logical(topic) ?? topic,
      intervalMs: config.metrics.lagIntervalMs,
      logger,
    });
    const checks: HealthCheck[] = [
      { name: 'database', check: async () => void (await pool.query('SELECT 1')) },
      kafkaHealth(kafka, transport),
    ];
    const app = await NestFactory.create(
      { module: class ServiceRootModule {}, imports: [PlatformModule.forRoot(rt as ServiceRuntime<unknown>, checks), def.module(rt)] } as DynamicModule,
      { bufferLogs: true },
    );
    app.useLogger(app.get(PinoNestLogger));
    // The HTTP edge (auth guard, error filter, storable-strings pipe, metrics interceptor) is for HTTP only: a consumed
    // record was judged by its decoder already, and its handler has its own filter.
    app.connectMicroservice({ strategy: transport }, { inheritAppConfig: false });
    await app.startAllMicroservices();
    for (const topic of transport.subscribedTopics()) {
      const logical = topics.logical(topic);
      if (logical !== undefined) admin.consumedTopics.add(logical);
    }
    await def.configureApp?.(app, rt);
    await app.listen(config.port, '0.0.0.0');
    pruner.start();
    lag.start();
    logger.info({ port: config.port }, 'ready');

    // Consumer first (finishes or abandons its batch without committing, then leaves the group so its partitions move
    // at once), then the app, the relay, the connections. Nest itself would close the consumer only after the
    // modules' destroy hooks and the HTTP server, seconds later.
    stopOnSignals(logger, config.shutdownTimeoutMs, async () => {
      await transport.close().catch((e) => logger.error({ err: e }, 'stopping the consumer failed'));
      await app.close().catch((e) => logger.error({ err: e }, 'closing the app failed'));
      await pruner.stop().catch(() => undefined);
      await lag.stop().catch(() => undefined);
      await relay.stop().catch(() => undefined);
      await publisher.disconnect().catch(() => undefined);
      await dataSource.destroy().catch(() => undefined);
      await stopTracing().catch((e) => logger.warn({ err: e }, 'exporting the last spans failed'));
    });
    return app;
  } catch (e) {
    startupFailed(logger, `${def.service}-service`, e);
  }
}
