import 'reflect-metadata';
import {
  type DynamicModule,
  Global,
  type INestApplication,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  RequestMethod,
  type Type,
} from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE, NestFactory } from '@nestjs/core';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ConfigError } from './config.js';
import { HEALTH_CHECKS, HealthController, type HealthCheck } from './health.js';
import { correlationIdMiddleware } from './http/correlation-id.js';
import { HttpErrorFilter } from './http/error.filter.js';
import { httpLoggerModule } from './http/http-logging.js';
import { StorableStringsPipe } from './http/storable-strings.pipe.js';
import { createLogger } from './logging.js';
import { HttpMetricsInterceptor, METRICS_REGISTRY, MetricsController, createMetricsRegistry } from './metrics.js';
import { LOGGER } from './service.js';

/** What every HTTP app reads from its settings, whatever else it reads. */
export interface HttpAppConfig {
  port: number;
  logLevel: string;
  shutdownTimeoutMs: number;
}

/** An HTTP app's runtime: its validated settings, its logger and its metrics registry. */
export interface HttpAppRuntime<C extends HttpAppConfig> {
  config: C;
  logger: Logger;
  registry: Registry;
}

export interface HttpAppDefinition<C extends HttpAppConfig> {
  /** the app's name in logs, metrics and configuration errors, e.g. `console` */
  app: string;
  /** reads and validates the environment; throws a ConfigError naming the first bad setting */
  loadConfig: (env: NodeJS.ProcessEnv) => C;
  module: (rt: HttpAppRuntime<C>) => Type | DynamicModule;
  /** what `GET /health` asks (none: healthy while the process answers) */
  healthChecks?: (rt: HttpAppRuntime<C>) => HealthCheck[];
  configureApp?: (app: INestApplication, rt: HttpAppRuntime<C>) => void | Promise<void>;
}

class CorrelationIdMiddleware {
  use = correlationIdMiddleware;
}

/**
 * The HTTP edge of the services without their database, Kafka or auth guard, for an app that only talks to the
 * services' HTTP APIs (the console): request log, correlation id, error body, storable-strings pipe, metrics, health.
 */
@Global()
@Module({})
export class HttpAppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CorrelationIdMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }

  static forRoot(rt: HttpAppRuntime<HttpAppConfig>, healthChecks: HealthCheck[]): DynamicModule {
    return {
      module: HttpAppModule,
      global: true,
      imports: [httpLoggerModule(rt.logger)],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: LOGGER, useValue: rt.logger },
        { provide: METRICS_REGISTRY, useValue: rt.registry },
        { provide: HEALTH_CHECKS, useValue: healthChecks },
        { provide: APP_INTERCEPTOR, useClass: HttpMetricsInterceptor },
        { provide: APP_FILTER, useValue: new HttpErrorFilter(rt.logger) },
        { provide: APP_PIPE, useClass: StorableStringsPipe },
      ],
      exports: [LOGGER, METRICS_REGISTRY],
    };
  }
}

/**
 * Starts an HTTP app: validated configuration (one line and exit 78 when a setting is bad, as runService), HTTP, and a
 * clean stop on SIGTERM/SIGINT.
 */
export async function runHttpApp<C extends HttpAppConfig>(def: HttpAppDefinition<C>): Promise<INestApplication> {
  let config: C;
  try {
    config = def.loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  const logger = createLogger(def.app, config.logLevel);
  try {
    const rt: HttpAppRuntime<C> = { config, logger, registry: createMetricsRegistry(def.app) };
    const app = await NestFactory.create(
      {
        module: class HttpAppRootModule {},
        imports: [HttpAppModule.forRoot(rt, def.healthChecks?.(rt) ?? []), def.module(rt)],
      } as DynamicModule,
      { bufferLogs: true },
    );
    app.useLogger(app.get(PinoNestLogger));
    await def.configureApp?.(app, rt);
    await app.listen(config.port, '0.0.0.0');
    logger.info({ port: config.port }, 'ready');

    let closing = false;
    const stop = async (signal: string) => {
      if (closing) return;
      closing = true;
      logger.info({ signal }, 'stopping');
      const force = setTimeout(() => {
        logger.error('shutdown timed out; exiting');
        process.exit(1);
      }, config.shutdownTimeoutMs);
      force.unref();
      await app.close().catch((e) => logger.error({ err: e }, 'closing the app failed'));
      logger.info('stopped');
      logger.flush?.();
      process.exit(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
    return app;
  } catch (e) {
    logger.fatal({ err: e }, 'start-up failed');
    process.stderr.write(`${def.app}: start-up failed: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
