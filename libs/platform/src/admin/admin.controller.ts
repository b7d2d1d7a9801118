import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, type OnModuleDestroy } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SCOPES } from '@fulfillment/contracts';
import { readDeadLetters, redriveDeadLetter, type DeadLetter } from '@fulfillment/messaging';
import type { Producer } from 'kafkajs';
import { z } from 'zod';
import { RequiresScope } from '../http/auth.guard.js';
import { errorBodySchema } from '../http/error-body.js';
import { HttpFieldError } from '../http/http-field-error.js';
import { openApiSchemaOf } from '../openapi.js';
import { RUNTIME } from '../runtime-token.js';
import type { ServiceRuntime } from '../service.js';
import { ZodValidationPipe } from '../validation.js';
import type { RebuildStatus } from './admin-registry.js';

/** Bytes of a dead letter's value shown in a listing; the rest is cut (the record itself is re-driven whole). */
const VALUE_SHOWN = 8 * 1024;

const topicField = z.string({ error: 'is required' }).min(1, 'is required').max(200, 'must have at most 200 characters');

export const deadLettersQuery = z.strictObject({
  topic: topicField.optional(),
  limit: z.coerce.number({ error: 'must be an integer from 1 to 1000' }).int('must be an integer from 1 to 1000').min(1, 'must be an integer from 1 to 1000').max(1000, 'must be an integer from 1 to 1000').default(100),
});

/** `offsets`: DLQ offsets (`"12"`, partition 0) or `"partition:offset"`; without them every dead letter of the topic. */
export const redriveBody = z.strictObject(
  {
    topic: topicField,
    offsets: z
      .array(z.union([z.int().nonnegative(), z.string().regex(/^(\d+:)?\d+$/, 'must be "offset" or "partition:offset"')]), { error: 'must be an array of offsets' })
      .min(1, 'must name at least one offset (leave it out to re-drive them all)')
      .max(10_000, 'must have at most 10000 offsets')
      .optional(),
  },
  { error: 'must be a JSON object {topic, offsets?}' },
);

export const deadLetterViewSchema = z.object({
  partition: z.number(),
  offset: z.string(),
  key: z.string().nullable(),
  type: z.string().nullable().describe("the record's event or command type, when it can be read"),
  id: z.string().nullable(),
  reason: z.string().nullable(),
  sourceTopic: z.string().nullable(),
  sourcePartition: z.number().nullable(),
  sourceOffset: z.string().nullable(),
  failedAt: z.string().nullable(),
  attempts: z.number().nullable(),
  headers: z.record(z.string(), z.string()),
  value: z.string().nullable().describe('the value as text (cut at 8 KiB), or base64 when it is not UTF-8'),
  valueEncoding: z.enum(['utf8', 'base64']),
  redrivenAt: z.string().nullable().describe('when it was re-driven; a re-driven dead letter is not sent again'),
});
export type DeadLetterView = z.infer<typeof deadLetterViewSchema>;

export const deadLettersSchema = z.object({ topic: z.string(), dlqTopic: z.string(), consumerGroup: z.string(), total: z.number(), deadLetters: z.array(deadLetterViewSchema) });
export const deadLetterCountsSchema = z.object({
  consumerGroup: z.string(),
  topics: z.array(z.object({ topic: z.string(), deadLetters: z.number(), notRedriven: z.number() })),
});
export const redriveResultSchema = z.object({
  topic: z.string(),
  redriven: z.array(z.string()).describe('"partition:offset" of each dead letter sent back'),
  alreadyRedriven: z.array(z.string()),
  notFound: z.array(z.string()),
});
const rebuildStatusSchema = z.object({
  name: z.string(),
  state: z.enum(['running', 'done', 'failed']),
  processed: z.number(),
  total: z.number(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
});
const errorSchema = { schema: openApiSchemaOf(errorBodySchema) };

function utf8Text(value: Buffer): string | undefined {
  const text = value.toString('utf8');
  return Buffer.from(text, 'utf8').equals(value) ? text : undefined;
}

function typeAndId(deadLetter: DeadLetter, text: string | undefined): { type: string | null; id: string | null } {
  const fromHeaders = { type: deadLetter.headers['ce_type'] ?? null, id: deadLetter.headers['ce_id'] ?? null };
  if (fromHeaders.type !== null || text === undefined) return fromHeaders;
  try {
    const parsed = JSON.parse(text) as { type?: unknown; id?: unknown };
    return { type: typeof parsed.type === 'string' ? parsed.type : null, id: typeof parsed.id === 'string' ? parsed.id : null };
  } catch {
    return { type: null, id: null };
  }
}

/**
 * SPEC 13's admin routes, the same on every service (scope `admin`): its dead letters (those its consumer group
 * wrote to a topic's `.dlq`) and their re-drive, its projections' rebuilds, the retention prune.
 */
@ApiTags('admin')
@Controller('admin')
export class AdminController implements OnModuleDestroy {
  private producer: Promise<Producer> | undefined;

  constructor(@Inject(RUNTIME) private readonly rt: ServiceRuntime) {}

  async onModuleDestroy(): Promise<void> {
    const producer = await this.producer?.catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
  }

  @RequiresScope(SCOPES.admin)
  @Get('dead-letters')
  @ApiOperation({
    summary: "This service's dead letters of a topic it consumes, oldest first, with their reasons and headers",
    description: 'Without `topic`: how many dead letters this service has on each topic it consumes, and how many of them are not re-driven yet.',
  })
  @ApiOkResponse({ schema: openApiSchemaOf(z.union([deadLettersSchema, deadLetterCountsSchema])) })
  @ApiBadRequestResponse({ description: '`topic` not one this service consumes, or a bad `limit`; `field` names it', ...errorSchema })
  async deadLetters(@Query(new ZodValidationPipe(deadLettersQuery)) query: z.infer<typeof deadLettersQuery>) {
    if (query.topic === undefined) return this.counts();
    const topic = this.consumedTopic(query.topic);
    const { dlqTopic, ours, redrivenAt } = await this.read(topic);
    return {
      topic,
      dlqTopic,
      consumerGroup: this.rt.config.kafka.groupId,
      total: ours.length,
      deadLetters: ours.slice(0, query.limit).map((d) => this.view(d, redrivenAt.get(`${d.partition}:${d.offset}`) ?? null)),
    };
  }

  @RequiresScope(SCOPES.admin)
  @Post('dead-letters/redrive')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sends dead letters back to their source topic, for this service only',
    description:
      'Each dead letter named (or, without `offsets`, every one of the topic not re-driven yet) is produced to its ' +
      'source topic as it was, marked for this service\'s consumer group (the topic\'s other consumers skip it), and ' +
      'recorded: asking again sends nothing twice. A re-driven record that fails again is a new dead letter.',
  })
  @ApiOkResponse({ schema: openApiSchemaOf(redriveResultSchema) })
  @ApiBadRequestResponse({ description: 'a bad body; `field` names it', ...errorSchema })
  async redrive(@Body(new ZodValidationPipe(redriveBody)) body: z.infer<typeof redriveBody>) {
    const topic = this.consumedTopic(body.topic);
    const { ours, redrivenAt } = await this.read(topic);
    const byName = new Map(ours.map((d) => [`${d.partition}:${d.offset}`, d]));
    const wanted = body.offsets === undefined ? [...byName.keys()] : [...new Set(body.offsets.map((o) => (String(o).includes(':') ? String(o) : `0:${o}`)))];
    const result = { topic, redriven: [] as string[], alreadyRedriven: [] as string[], notFound: [] as string[] };
    const producer = await this.producerOnce();
    const sourceTopic = this.rt.topics.name(topic);
    for (const name of wanted) {
      const deadLetter = byName.get(name);
      if (deadLetter === undefined) result.notFound.push(name);
      else if (redrivenAt.has(name)) result.alreadyRedriven.push(name);
      else {
        await redriveDeadLetter(producer, deadLetter, sourceTopic);
        await this.rt.pool.query(
          `INSERT INTO admin_redrives (dlq_topic, dlq_partition, dlq_offset, source_topic) VALUES ($1, $2, $3, $4)
           ON CONFLICT DO NOTHING`,
          [deadLetter.topic, deadLetter.partition, deadLetter.offset, sourceTopic],
        );
        result.redriven.push(name);
      }
    }
    this.rt.logger.info({ topic, redriven: result.redriven.length, alreadyRedriven: result.alreadyRedriven.length, notFound: result.notFound.length }, 'dead letters re-driven');
    return result;
  }

  @RequiresScope(SCOPES.admin)
  @Get('projections')
  @ApiOperation({ summary: 'The projections this service can rebuild, with their last rebuild' })
  @ApiOkResponse({ schema: openApiSchemaOf(z.array(z.object({ name: z.string(), lastRebuild: rebuildStatusSchema.nullable() }))) })
  projections() {
    return this.rt.admin.projectionNames().map((name) => ({ name, lastRebuild: this.rt.admin.status(name) ?? null }));
  }

  @RequiresScope(SCOPES.admin)
  @Post('projections/:name/rebuild')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Starts rebuilding a projection from the event store',
    description: 'Answers at once with its status (202); GET the same path to follow it. One rebuild of a projection runs at a time: asking again while it runs answers the running one (409).',
  })
  @ApiAcceptedResponse({ schema: openApiSchemaOf(rebuildStatusSchema) })
  @ApiNotFoundResponse({ description: 'no projection of that name', ...errorSchema })
  @ApiConflictResponse({ description: 'a rebuild of it is running', ...errorSchema })
  rebuild(@Param('name') name: string): RebuildStatus {
    const started = this.rt.admin.startRebuild(name);
    if (started === undefined) throw this.unknownProjection(name);
    if (!started.started) throw new HttpFieldError(409, undefined, `projection ${name} is being rebuilt already (${started.status.processed} of ${started.status.total} events)`);
    return started.status;
  }

  @RequiresScope(SCOPES.admin)
  @Get('projections/:name/rebuild')
  @ApiOperation({ summary: "A projection's last rebuild: running, done or failed, and how far it got" })
  @ApiOkResponse({ schema: openApiSchemaOf(rebuildStatusSchema) })
  @ApiNotFoundResponse({ description: 'no projection of that name, or never rebuilt', ...errorSchema })
  rebuildStatus(@Param('name') name: string): RebuildStatus {
    const status = this.rt.admin.status(name);
    if (status !== undefined) return status;
    if (!this.rt.admin.projectionNames().includes(name)) throw this.unknownProjection(name);
    throw new HttpFieldError(404, undefined, `projection ${name} has not been rebuilt since the service started`);
  }

  @RequiresScope(SCOPES.admin)
  @Post('prune')
  @HttpCode(200)
  @ApiOperation({ summary: 'Prunes now what retention lets go (inbox rows and Idempotency-Keys past their days), as the daily schedule does' })
  @ApiOkResponse({ schema: openApiSchemaOf(z.object({ pruned: z.number() })) })
  async prune(): Promise<{ pruned: number }> {
    if (this.rt.admin.prune === undefined) throw new HttpFieldError(503, undefined, 'the retention prune is not running yet');
    return { pruned: await this.rt.admin.prune() };
  }

  private async counts() {
    const topics = [];
    for (const topic of [...this.rt.admin.consumedTopics].sort()) {
      const { ours, redrivenAt } = await this.read(topic);
      topics.push({ topic, deadLetters: ours.length, notRedriven: ours.filter((d) => !redrivenAt.has(`${d.partition}:${d.offset}`)).length });
    }
    return { consumerGroup: this.rt.config.kafka.groupId, topics };
  }

  private consumedTopic(topic: string): string {
    const consumed = [...this.rt.admin.consumedTopics].sort();
    if (!consumed.includes(topic)) {
      throw new HttpFieldError(400, 'topic', `must be a topic this service consumes (${consumed.join(', ') || 'none'}); dead letters are kept by the consumer that wrote them`);
    }
    return topic;
  }

  private unknownProjection(name: string): HttpFieldError {
    const names = this.rt.admin.projectionNames();
    return new HttpFieldError(404, undefined, `no projection named ${name} here (${names.length > 0 ? names.join(', ') : 'this service has none to rebuild'})`);
  }

  /** The topic's dead letters written by this service's group, and which were re-driven when. */
  private async read(topic: string) {
    const dlqTopic = this.rt.topics.name(`${topic}.dlq`);
    const group = this.rt.config.kafka.groupId;
    let all: DeadLetter[];
    try {
      all = await readDeadLetters(this.rt.kafka, dlqTopic, { groupPrefix: `${group}-admin-dlq` });
    } catch (error) {
      this.rt.logger.warn({ err: error, topic: dlqTopic }, 'reading dead letters failed');
      throw new HttpFieldError(503, undefined, `the dead letters of ${topic} cannot be read now: ${(error as Error).message}`);
    }
    const ours = all.filter((d) => d.consumerGroup === group);
    const { rows } = await this.rt.pool.query<{ dlq_partition: number; dlq_offset: string; redriven_at: Date }>(
      'SELECT dlq_partition, dlq_offset::text AS dlq_offset, redriven_at FROM admin_redrives WHERE dlq_topic = $1',
      [dlqTopic],
    );
    const redrivenAt = new Map(rows.map((r) => [`${r.dlq_partition}:${r.dlq_offset}`, r.redriven_at.toISOString()]));
    return { dlqTopic, ours, redrivenAt };
  }

  private view(d: DeadLetter, redrivenAt: string | null): DeadLetterView {
    const text = d.value === null ? undefined : utf8Text(d.value);
    const sourceTopic = d.sourceTopic === null ? null : (this.rt.topics.logical(d.sourceTopic) ?? d.sourceTopic);
    return {
      partition: d.partition,
      offset: d.offset,
      key: d.key,
      ...typeAndId(d, text),
      reason: d.reason,
      sourceTopic,
      sourcePartition: d.sourcePartition,
      sourceOffset: d.sourceOffset,
      failedAt: d.failedAt,
      attempts: d.attempts,
      headers: d.headers,
      value: d.value === null ? null : text !== undefined ? text.slice(0, VALUE_SHOWN) : d.value.toString('base64'),
      valueEncoding: text !== undefined || d.value === null ? 'utf8' : 'base64',
      redrivenAt,
    };
  }

  private producerOnce(): Promise<Producer> {
    this.producer ??= (async () => {
      const producer = this.rt.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await producer.connect();
      return producer;
    })();
    this.producer.catch(() => (this.producer = undefined));
    return this.producer;
  }
}
