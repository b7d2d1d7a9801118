import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

export interface OpenApiInfo {
  title: string;
  description: string;
  version: string;
}

/** Where every service serves its document; `/docs` itself is the browsable copy. */
export const OPENAPI_JSON_PATH = '/docs/openapi.json';

/**
 * Serves the HTTP API's OpenAPI document at /docs/openapi.json and a browsable copy at /docs. Call it from
 * `runService`'s `configureApp`, after the controllers are registered and before listening.
 */
export function serveOpenApi(app: INestApplication, info: OpenApiInfo): void {
  const config = new DocumentBuilder()
    .setTitle(info.title)
    .setDescription(`${info.description}\n\nEvery route but /health, /metrics and /docs needs \`Authorization: Bearer <JWT>\` with the scope it names (x-required-scopes); a customer token (scope \`customer\`, \`sub\` = customerId) reaches only that customer's own data.`)
    .setVersion(info.version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: OPENAPI_JSON_PATH.slice(1) });
}

/**
 * A zod schema as an OpenAPI 3.0 schema object, so the document states the rules the service applies. `input` for
 * what a request may send (before transforms and defaults), `output` for what a response carries. Refinements that
 * JSON Schema cannot express are left out; describe them with `.describe()` or `.meta()` on the zod schema, whose
 * keys are copied into the result.
 */
export function openApiSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'output'): SchemaObject {
  const { $schema: _dialect, ...openApi } = z.toJSONSchema(schema, { io, target: 'openapi-3.0', unrepresentable: 'any' });
  return openApi as SchemaObject;
}
