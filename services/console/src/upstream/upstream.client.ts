import { Inject, Injectable } from '@nestjs/common';
import { CORRELATION_ID_HEADER, LOGGER, METRICS_REGISTRY } from '@fulfillment/platform';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { CONSOLE_CONFIG } from '../console.tokens.js';
import type { ConsoleConfig, Upstream } from '../console.config.js';
import type { Operator } from './operator.js';
import { upstreamRefusal, type UpstreamOutcome } from './upstream-refusal.js';

/** A path segment taken from the operator's input, escaped so it can never change the route it goes to. */
export const segment = (value: string): string => encodeURIComponent(value);

/**
 * The console's only way to the services: their HTTP APIs, with the operator's own bearer token and correlation id.
 * The token is forwarded and forgotten: never logged, never kept.
 */
@Injectable()
export class UpstreamClient {
  private readonly calls: Counter;

  constructor(
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    this.calls = new Counter({
      name: 'console_upstream_requests_total',
      help: 'Requests of the console to the services, by service and answer (status, or unreachable)',
      labelNames: ['service', 'outcome'],
      registers: [registry],
    });
  }

  get<T>(service: Upstream, path: string, operator: Operator): Promise<T> {
    return this.call<T>(service, 'GET', path, operator);
  }

  post<T>(service: Upstream, path: string, body: unknown, operator: Operator): Promise<T> {
    return this.call<T>(service, 'POST', path, operator, body);
  }

  /** GET that answers an upstream refusal as a value instead of throwing it, for pages that show what they can. */
  async tryGet<T>(service: Upstream, path: string, operator: Operator): Promise<{ ok: true; body: T } | { ok: false; error: { statusCode: number; message: string } }> {
    try {
      return { ok: true, body: await this.get<T>(service, path, operator) };
    } catch (error) {
      const refusal = error as { status?: number; message: string };
      return { ok: false, error: { statusCode: refusal.status ?? 502, message: refusal.message } };
    }
  }

  /** Whether a service's public health route answers 200, for the console's status line. */
  async health(service: Upstream): Promise<{ service: Upstream; url: string; status: 'up' | 'down'; detail: string | null }> {
    const url = this.config.upstreams[service];
    const outcome = await this.send(`${url}/health`, { method: 'GET', headers: {} });
    if (outcome.kind === 'answered' && outcome.status === 200) return { service, url, status: 'up', detail: null };
    const detail = outcome.kind === 'unreachable' ? outcome.cause : `${outcome.status} ${JSON.stringify(outcome.body).slice(0, 200)}`;
    return { service, url, status: 'down', detail };
  }

  private async call<T>(service: Upstream, method: string, path: string, operator: Operator, body?: unknown): Promise<T> {
    const baseUrl = this.config.upstreams[service];
    const outcome = await this.send(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${operator.token}`,
        [CORRELATION_ID_HEADER]: operator.correlationId,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    this.calls.inc({ service, outcome: outcome.kind === 'unreachable' ? 'unreachable' : String(outcome.status) });
    if (outcome.kind === 'answered' && outcome.status >= 200 && outcome.status < 300) return outcome.body as T;
    const refusal = upstreamRefusal(service, baseUrl, outcome);
    // Method and path only: the token stays out of every log line.
    this.logger.info({ service, method, path, status: refusal.status, code: refusal.code }, 'a service refused or failed a console request');
    throw refusal;
  }

  private async send(url: string, init: RequestInit): Promise<UpstreamOutcome> {
    let response: Response;
    try {
      response = await fetch(url, { ...init, signal: AbortSignal.timeout(this.config.upstreamTimeoutMs) });
    } catch (error) {
      return { kind: 'unreachable', cause: causeOf(error, this.config.upstreamTimeoutMs) };
    }
    let raw: string;
    try {
      raw = await response.text();
    } catch (error) {
      return { kind: 'unreachable', cause: causeOf(error, this.config.upstreamTimeoutMs) };
    }
    let parsed: unknown = raw;
    if ((response.headers.get('content-type') ?? '').includes('json') && raw !== '') {
      try {
        parsed = JSON.parse(raw);
      } catch {
        parsed = raw;
      }
    }
    return { kind: 'answered', status: response.status, body: parsed };
  }
}

/** The reason a request got no answer, in a word an operator can act on: ECONNREFUSED, ENOTFOUND, a timeout. */
export function causeOf(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; errors?: { code?: string }[]; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  return e.cause?.code ?? e.cause?.errors?.[0]?.code ?? e.cause?.message ?? e.message ?? String(error);
}
