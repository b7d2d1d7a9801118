import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { findUnstorable } from '@fulfillment/contracts';
import { HttpFieldError } from './http-field-error.js';

/**
 * Applied to every path parameter, query parameter and body of every service before any other pipe: a string the
 * database cannot store is a 400 naming the parameter or field, never a 500 from the driver.
 */
@Injectable()
export class StorableStringsPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    // A whole body or query object names its fields by themselves; a single parameter by its name.
    const root = metadata.data ?? '';
    const found = findUnstorable(value, root);
    if (found) throw new HttpFieldError(400, found.field || metadata.type, found.problem);
    return value;
  }
}
