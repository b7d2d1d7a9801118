import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { HttpFieldError, ZodValidationPipe } from '@fulfillment/platform';
import { z } from 'zod';
import { UPSTREAMS, type Upstream } from '../console.config.js';
import { OperatorOf, type Operator } from '../upstream/operator.js';
import { segment, UpstreamClient } from '../upstream/upstream.client.js';
import { deadLetterOverviewOf, tokenRefusalOf, type DeadLetterCounts } from './dead-letters.view.js';

const serviceParam = z.enum(UPSTREAMS, { error: `must be one of ${UPSTREAMS.join(', ')}` });
const topicParam = z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
// The service checks the limit and the offsets themselves (and names them); here only their shape is asked.
const listQuery = z.object({ limit: z.string({ error: 'must be one number' }).optional() });
// No body at all is re-drive-all, as an empty object is.
const redriveBody = z.preprocess(
  (body) => body ?? {},
  z.object(
    { offsets: z.array(z.union([z.string(), z.number()]), { error: 'must be an array of offsets ("12" or "0:12")' }).optional() },
    { error: 'must be a JSON object {offsets?}' },
  ),
);

@Controller('api/dead-letters')
export class DeadLettersHttpController {
  constructor(private readonly upstream: UpstreamClient) {}

  /** How many dead letters each service has per topic it consumes, and how many are not re-driven yet. */
  @Get()
  async overview(@OperatorOf() operator: Operator) {
    const answers = await Promise.all(
      UPSTREAMS.map(async (service) => [service, await this.upstream.tryGet<DeadLetterCounts>(service, '/admin/dead-letters', operator)] as const),
    );
    const refused = tokenRefusalOf(answers);
    if (refused) throw new HttpFieldError(refused.statusCode, undefined, refused.message, refused.statusCode === 401 ? 'token-refused' : 'token-lacks-scope');
    return deadLetterOverviewOf(answers);
  }

  /** One service's dead letters of one topic, oldest first, with their reasons and headers. */
  @Get(':service/:topic')
  list(
    @Param('service', new ZodValidationPipe(serviceParam, 'service')) service: Upstream,
    @Param('topic', new ZodValidationPipe(topicParam, 'topic')) topic: string,
    @Query(new ZodValidationPipe(listQuery)) query: z.infer<typeof listQuery>,
    @OperatorOf() operator: Operator,
  ) {
    const limit = query.limit === undefined ? '' : `&limit=${segment(query.limit)}`;
    return this.upstream.get(service, `/admin/dead-letters?topic=${segment(topic)}${limit}`, operator);
  }

  /** Re-drives the named dead letters of a topic (or, without `offsets`, every one not re-driven yet) to its source topic. */
  @Post(':service/:topic/redrive')
  @HttpCode(200)
  redrive(
    @Param('service', new ZodValidationPipe(serviceParam, 'service')) service: Upstream,
    @Param('topic', new ZodValidationPipe(topicParam, 'topic')) topic: string,
    @Body(new ZodValidationPipe(redriveBody)) body: z.infer<typeof redriveBody>,
    @OperatorOf() operator: Operator,
  ) {
    return this.upstream.post(service, '/admin/dead-letters/redrive', { topic, ...(body.offsets === undefined ? {} : { offsets: body.offsets }) }, operator);
  }
}
