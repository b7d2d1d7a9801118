import { Controller, Get } from '@nestjs/common';
import { UPSTREAMS } from '../console.config.js';
import { UpstreamClient } from '../upstream/upstream.client.js';

@Controller('api/status')
export class StatusHttpController {
  constructor(private readonly upstream: UpstreamClient) {}

  /** Whether each service's public health route answers; needs no token (the health routes need none). */
  @Get()
  async status() {
    return { services: await Promise.all(UPSTREAMS.map((service) => this.upstream.health(service))) };
  }
}
