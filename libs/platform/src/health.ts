import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Public } from './http/auth.guard.js';
import { openApiSchemaOf } from './openapi.js';

/** A dependency the service cannot work without; `check` rejects (or times out) while it is unreachable. */
export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');
const CHECK_TIMEOUT_MS = 2000;

function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export async function runHealthChecks(checks: HealthCheck[]) {
  const results = await Promise.all(
    checks.map(async (c) => {
      try {
        await withTimeout(c.check(), CHECK_TIMEOUT_MS);
        return [c.name, { status: 'up' }] as const;
      } catch (e) {
        return [c.name, { status: 'down', error: (e as Error).message }] as const;
      }
    }),
  );
  const down = results.filter(([, r]) => r.status === 'down').map(([name]) => name);
  return {
    ok: down.length === 0,
    body: {
      status: down.length === 0 ? 'ok' : 'error',
      ...(down.length ? { down } : {}),
      checks: Object.fromEntries(results),
    },
  };
}

const healthBodySchema = z.object({
  status: z.enum(['ok', 'error']),
  down: z.array(z.string()).optional().describe('the dependencies that did not answer'),
  checks: z.record(z.string(), z.object({ status: z.enum(['up', 'down']), error: z.string().optional() })),
});

@ApiTags('operations')
@Public()
@Controller()
export class HealthController {
  constructor(@Inject(HEALTH_CHECKS) private readonly checks: HealthCheck[]) {}

  /** 200 only while every dependency answers; 503 naming the ones that do not. */
  @Get('health')
  @ApiOperation({ summary: 'Whether the database and the Kafka broker answer' })
  @ApiOkResponse({ description: 'every dependency answered', schema: openApiSchemaOf(healthBodySchema) })
  @ApiServiceUnavailableResponse({ description: 'a dependency did not answer', schema: openApiSchemaOf(healthBodySchema) })
  async health(@Res({ passthrough: true }) res: { status(code: number): unknown }) {
    const { ok, body } = await runHealthChecks(this.checks);
    // Answered as it is, not thrown: the health body is not an error body.
    if (!ok) res.status(503);
    return body;
  }
}
