import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import type { z } from 'zod';
import { openApiSchemaOf } from '../openapi.js';

/**
 * Documents fields of a route's query schema as optional query parameters, in the order named, each with the rules
 * the schema applies to what a request may send.
 */
export function ApiQueryOf<S extends z.ZodObject>(query: S, ...names: (keyof S['shape'] & string)[]): MethodDecorator {
  const parameters = names.map((name) => ApiQuery({ name, required: false, schema: openApiSchemaOf(query.shape[name] as z.ZodType, 'input') }));
  // Applied last first, as the same decorators stacked one per line would be.
  return applyDecorators(...parameters.reverse());
}
