import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Serves the HTTP API's OpenAPI document at /docs/openapi.json and a browsable copy at /docs. */
export function serveOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('inventory service')
    .setDescription(
      'Stock per SKU: configuration, stock adjustments, and the SKU view with its FIFO backorder queue. Orders and ' +
        'restocks arrive over Kafka (order.events, supplier.events); decisions are published on inventory.events. ' +
        "Every response to a command carries X-Correlation-Id (the request's, or a new one), which the events the " +
        'request causes carry as correlationid.',
    )
    .setVersion('1')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}
