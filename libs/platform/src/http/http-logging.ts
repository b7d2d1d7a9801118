import type { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';

/** The request log of every HTTP app: method, URL and status only, never headers (tokens) or bodies (customer data). */
export function httpLoggerModule(logger: Logger): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      logger,
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
      // A line per answered request is off the hot path at info: successes are logged at debug, refusals at
      // info, failures at error (LOG_LEVEL=debug shows every request).
      customLogLevel: (_req, res, error) => (error !== undefined || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug'),
      // The flow the request belongs to, set by the correlation-id middleware (the trace ids come from the mixin).
      customProps: (req) => {
        const correlationId = (req as { correlationId?: string }).correlationId;
        return correlationId === undefined ? {} : { correlationId };
      },
      // Request and response bodies are never logged: they carry customer data.
      serializers: {
        req: (req: { method: string; url: string; id: unknown }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  });
}
