import { z } from 'zod';
import { expectedAtField, quantityField, requestBody, skuField } from '../purchase-order/request-fields.js';

export const placePurchaseOrderRequest = (now: () => Date = () => new Date()) =>
  requestBody({ sku: skuField, quantity: quantityField, expectedAt: expectedAtField(now) });

export type PlacePurchaseOrderRequest = z.output<ReturnType<typeof placePurchaseOrderRequest>>;
