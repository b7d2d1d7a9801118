import { z } from 'zod';
import { quantityField, requestBody } from '../purchase-order/request-fields.js';

/** `close`: the supplier sends nothing more, so the purchase order closes even if it arrived short. */
export const receiveRestockRequest = requestBody({
  quantity: quantityField,
  close: z.boolean({ error: 'must be true or false' }).optional(),
});

export type ReceiveRestockRequest = z.output<typeof receiveRestockRequest>;
