import { Controller, Delete, HttpCode, Inject, Param } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  CorrelationId,
  errorBodySchema,
  HttpFieldError,
  IdempotencyOf,
  IdempotencyRecorder,
  Idempotent,
  type IdempotentRequest,
  openApiSchemaOf,
  RequiresScope,
  SCOPES,
  ZodValidationPipe,
} from '@fulfillment/platform';
import { CustomerPipeline } from '../customer/customer.pipeline.js';
import { ListNotificationsRepository } from '../list-notifications/list-notifications.repository.js';
import { customerIdParam } from '../list-notifications/list-notifications.request.js';

@ApiTags('customers')
@Controller('customers')
export class EraseContactHttpController {
  constructor(
    private readonly pipeline: CustomerPipeline,
    @Inject(ListNotificationsRepository) private readonly customers: ListNotificationsRepository,
    private readonly idempotency: IdempotencyRecorder,
  ) {}

  /**
   * SPEC 13 (retention): the customer's email address is erased, through the customer's pipeline like every other
   * change (a `ContactErased` fact, and the address row deleted in the same transaction). Idempotent.
   */
  @RequiresScope(SCOPES.admin)
  @Delete(':customerId/contact')
  @HttpCode(204)
  @Idempotent()
  @ApiOperation({
    summary: "Erase a customer's email address",
    description:
      'Nothing is emailed to the customer afterwards (emails still pending are skipped) until a later order gives an ' +
      'address again; in-app notifications and webhooks go on. Erasing a customer without an address on file is a no-op.',
  })
  @ApiParam({ name: 'customerId', schema: openApiSchemaOf(customerIdParam, 'input') })
  @ApiNoContentResponse({ description: 'the address is erased (or there was none)' })
  @ApiBadRequestResponse({ description: 'customerId is invalid', schema: openApiSchemaOf(errorBodySchema) })
  @ApiNotFoundResponse({ description: 'the service has never heard of this customer', schema: openApiSchemaOf(errorBodySchema) })
  async erase(
    @Param('customerId', new ZodValidationPipe(customerIdParam, 'customerId')) customerId: string,
    @CorrelationId() correlationId: string,
    @IdempotencyOf() idempotency: IdempotentRequest | undefined,
  ): Promise<void> {
    if (!(await this.customers.customerIsKnown(customerId))) throw new HttpFieldError(404, undefined, `customer ${customerId} is unknown`);
    const at = new Date().toISOString();
    await this.pipeline.submit(
      [{ id: customerId, command: { customerId, eraseContact: { at } }, cause: { correlationId, causationId: null }, at }],
      (tx) => this.idempotency.record(tx, idempotency, null),
    );
  }
}
