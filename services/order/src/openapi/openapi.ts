import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Serves the HTTP API's OpenAPI document at /docs/openapi.json and a browsable copy at /docs. */
export function serveOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('order service')
    .setDescription(
      'Places and cancels orders and shows each order as inventory answers for its lines. Every response carries ' +
        'X-Correlation-Id (the request\'s, or a new one), which the events the request causes carry as correlationid.',
    )
    .setVersion('1')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}
