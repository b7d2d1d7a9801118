import { z } from 'zod';
import { expectedAtField, requestBody } from '../purchase-order/request-fields.js';

export const changePurchaseOrderEtaRequest = (now: () => Date = () => new Date()) =>
  requestBody({ expectedAt: expectedAtField(now) });

export type ChangePurchaseOrderEtaRequest = z.output<ReturnType<typeof changePurchaseOrderEtaRequest>>;
