import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Body, Controller, type INestApplication, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ApiBody, ApiCreatedResponse } from '@nestjs/swagger';
import request from 'supertest';
import { z } from 'zod';
import { openApiSchemaOf, OPENAPI_JSON_PATH, serveOpenApi } from './openapi.js';

const widgetRequest = z.strictObject({
  name: z.string().min(1),
  size: z.int().positive().default(1),
  tags: z.array(z.string()).optional(),
});

const lengthOfText = z.string().transform((value) => value.length);

@Controller('widgets')
class WidgetController {
  @Post()
  @ApiBody({ schema: openApiSchemaOf(widgetRequest, 'input') })
  @ApiCreatedResponse({ schema: openApiSchemaOf(widgetRequest) })
  create(@Body() body: unknown): unknown {
    return body;
  }
}

@Module({ controllers: [WidgetController] })
class WidgetModule {}

describe('openApiSchemaOf', () => {
  it('states the request rules a client must follow: a default makes a field optional on input only', () => {
    const input = openApiSchemaOf(widgetRequest, 'input');
    const output = openApiSchemaOf(widgetRequest);
    expect(input).toMatchObject({
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: { name: { type: 'string', minLength: 1 }, size: { type: 'integer', minimum: 0, exclusiveMinimum: true } },
    });
    expect(output.required).toEqual(['name', 'size']);
  });

  it('leaves out the JSON Schema dialect, which an OpenAPI 3.0 schema object may not carry', () => {
    expect(openApiSchemaOf(widgetRequest)).not.toHaveProperty('$schema');
  });

  it('speaks OpenAPI 3.0: nullable instead of a null type', () => {
    expect(openApiSchemaOf(z.string().nullable())).toEqual({ type: 'string', nullable: true });
  });

  it('describes a transformed value by what is sent on input and by what comes out on output', () => {
    expect(openApiSchemaOf(lengthOfText, 'input')).toEqual({ type: 'string' });
    expect(openApiSchemaOf(lengthOfText)).toEqual({});
  });

  it('copies .meta() keys, so a service can state a rule zod enforces in a refinement', () => {
    const refined = z.looseObject({ a: z.string() }).superRefine(() => undefined).meta({ additionalProperties: false });
    expect(openApiSchemaOf(refined, 'input')).toMatchObject({ additionalProperties: false });
  });
});

describe('serveOpenApi', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await NestFactory.create(WidgetModule, { logger: false });
    serveOpenApi(app, { title: 'widget service', description: 'makes widgets', version: '7' });
    await app.init();
  });
  afterAll(() => app.close());

  it(`serves the document at ${OPENAPI_JSON_PATH} with the given title, description and version`, async () => {
    const response = await request(app.getHttpServer()).get(OPENAPI_JSON_PATH).expect(200);
    expect(response.body.openapi).toMatch(/^3\.0\./);
    expect(response.body.info).toMatchObject({ title: 'widget service', version: '7' });
    // The given description, then how to authenticate (SPEC 12), which every service's document states.
    expect(response.body.info.description).toMatch(/^makes widgets\n\nEvery route but \/health, \/metrics and \/docs needs `Authorization: Bearer <JWT>`/);
    expect(response.body.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(response.body.paths['/widgets'].post.requestBody.content['application/json'].schema).toEqual(
      openApiSchemaOf(widgetRequest, 'input'),
    );
  });

  it('serves a browsable copy at /docs', async () => {
    const response = await request(app.getHttpServer()).get('/docs').expect(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.text).toContain('swagger-ui');
  });
});
