export {
  loadConfig,
  parseSettings,
  baseConfigSchema,
  httpAppConfigSchema,
  httpBaseUrl,
  ConfigError,
  DEFAULT_PORTS,
  KAFKA_SASL_MECHANISMS,
  redactUrl,
  type KafkaSaslMechanism,
  type KafkaSecurity,
  type ServiceConfig,
  type ServiceName,
} from './config.js';
export { ensureDatabase, openDatabase, type DatabaseOptions } from './database.js';
export { HealthController, HEALTH_CHECKS, runHealthChecks, type HealthCheck } from './health.js';
export { MetricsController, HttpMetricsInterceptor, METRICS_REGISTRY, createMetricsRegistry } from './metrics.js';
export { scrapeGauge, sharedPerScrape, type GaugeSample, type ScrapeGaugeOptions } from './scrape-metrics.js';
export { PeriodicTask, type PeriodicTaskOptions } from './periodic-task.js';
export { ConsumerLag, partitionLag, type ConsumerLagOptions, type PartitionOffsets } from './consumer-lag.js';
export { createLogger, REDACT_PATHS, traceFields } from './logging.js';
export { startTracing, stopTracing, tracingConfigSchema, tracingSettingsOf, type TracingSettings } from './tracing.js';
export { ZodValidationPipe, issuePath } from './validation.js';
export {
  runService,
  PlatformModule,
  RUNTIME,
  EVENT_STORE,
  PG_POOL,
  LOGGER,
  type ServiceRuntime,
  type ServiceDefinition,
} from './service.js';
export { TopicNames, NamespacedKafkaBatchTransport } from './topics.js';
export {
  ServicePipeline,
  type PipelineReadModel,
  type ServicePipelineClass,
  type ServicePipelineSpec,
} from './service-pipeline.js';
export { serveOpenApi, openApiSchemaOf, OPENAPI_JSON_PATH, type OpenApiInfo } from './openapi.js';
export { ApiQueryOf } from './http/api-query.js';
export { errorBody, errorBodySchema, type HttpErrorBody } from './http/error-body.js';
export { HttpFieldError, notFoundAs } from './http/http-field-error.js';
export { CorrelationId, correlationIdOf, CORRELATION_ID_HEADER } from './http/correlation-id.js';
export { HttpErrorFilter, httpErrorOf } from './http/error.filter.js';
export { findUnstorable, unstorable } from '@fulfillment/contracts';
export { StorableStringsPipe } from './http/storable-strings.pipe.js';
export {
  Idempotent,
  IdempotencyInterceptor,
  IdempotencyOf,
  IdempotencyRecorder,
  IdempotentReplay,
  IDEMPOTENCY_KEY_HEADER,
  REPLAYED_HEADER,
  requestFingerprint,
  type IdempotentOptions,
  type IdempotentRequest,
} from './http/idempotency.js';
export { envelopeMetaOf, toOutbox } from './publishing.js';
export { oneInboxPerService } from './inbox-migration.js';
export * from './auth/index.js';
export { AuthGuard, CallerOf, ensureOwnData, Public, RequiresScope, type Caller, type ScopeRule } from './http/auth.guard.js';
export { AdminController } from './admin/admin.controller.js';
export { AdminRegistry, type RebuildableProjection, type RebuildProgress, type RebuildStatus } from './admin/admin-registry.js';
export { platformMigrations } from './admin/admin-migrations.js';
export {
  CommandContextOf,
  CommandController,
  CommandRoute,
  CORRELATION_ID_API_HEADER,
  submitCommand,
  type CommandContext,
  type CommandRouteOptions,
  type RefusalStatus,
  type RouteWork,
} from './http/command-route.js';
export { runHttpApp, HttpAppModule, type HttpAppConfig, type HttpAppDefinition, type HttpAppRuntime } from './http-app.js';
export { httpLoggerModule } from './http/http-logging.js';
