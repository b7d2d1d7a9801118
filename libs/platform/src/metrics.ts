import { CallHandler, Controller, ExecutionContext, Get, Header, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { Observable, tap } from 'rxjs';
import { Public } from './http/auth.guard.js';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

@ApiTags('operations')
@Public()
@Controller()
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4', schema: { type: 'string' } })
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

/** Counts and times HTTP requests by route template (not raw path, so ids do not explode the label set). */
@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  private readonly requests: Counter;
  private readonly duration: Histogram;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method and route',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<{ method: string; route?: { path: string } }>();
    const res = context.switchToHttp().getResponse<{ statusCode: number }>();
    const end = this.duration.startTimer({ method: req.method, route: req.route?.path ?? 'unknown' });
    const record = () => {
      end();
      this.requests.inc({ method: req.method, route: req.route?.path ?? 'unknown', status: String(res.statusCode) });
    };
    return next.handle().pipe(tap({ next: record, error: record }));
  }
}
