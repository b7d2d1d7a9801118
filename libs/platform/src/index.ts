export {
  loadConfig,
  baseConfigSchema,
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
export { createLogger, REDACT_PATHS } from './logging.js';
export { ZodValidationPipe, issuePath } from './validation.js';
export {
  runService,
  PlatformModule,
  RUNTIME,
  EVENT_STORE,
  PG_POOL,
  SERVICE_CONFIG,
  LOGGER,
  type ServiceRuntime,
  type ServiceDefinition,
} from './service.js';
export { TopicNames, NamespacedKafkaBatchTransport } from './topics.js';
export { serveOpenApi, openApiSchemaOf, OPENAPI_JSON_PATH, type OpenApiInfo } from './openapi.js';
export * from './auth/index.js';
