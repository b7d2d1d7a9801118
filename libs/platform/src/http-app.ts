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
import { configOrExit, startupFailed, stopOnSignals } from './app-lifecycle.js';
import { HEALTH_CHECKS, HealthController, type HealthCheck } from './health.js';
import { correlationIdMiddleware } from './http/correlation-id.js';
import { HttpErrorFilter } from './http/error.filter.js';
import { httpLoggerModule } from './http/http-logging.js';
import { StorableStringsPipe } from './http/storable-strings.pipe.js';
import { createLogger } from './logging.js';
import { HttpMetricsInterceptor, METRICS_REGISTRY, MetricsController, createMetricsRegistry } from './metrics.js';
import { LOGGER } from './runtime-token.js';

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

/** Express middleware as a Nest middleware class, so its errors reach the HTTP error filter. */
class CorrelationIdMiddleware {
  use = correlationIdMiddleware;
}

/**
 * The HTTP edge of every app: request log, correlation id, error body, storable-strings pipe, metrics and health. An
 * app that only talks to the services' HTTP APIs (the console) has just this; a service's PlatformModule adds its
 * database, Kafka, auth guard and admin routes on top.
 */
@Global()
@Module({})
export class HttpAppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CorrelationIdMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }

  static forRoot(rt: Pick<HttpAppRuntime<HttpAppConfig>, 'logger' | 'registry'>, healthChecks: HealthCheck[]): DynamicModule {
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
  const config = configOrExit(() => def.loadConfig(process.env));
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
    stopOnSignals(logger, config.shutdownTimeoutMs, () => app.close().catch((e) => logger.error({ err: e }, 'closing the app failed')));
    return app;
  } catch (e) {
    startupFailed(logger, def.app, e);
  }
}
