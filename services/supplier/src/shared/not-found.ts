import { NotFoundException } from '@nestjs/common';

export const purchaseOrderNotFound = (purchaseOrderId: string): NotFoundException =>
  new NotFoundException({
    statusCode: 404,
    error: 'Not Found',
    message: `purchase order ${purchaseOrderId} does not exist`,
  });
