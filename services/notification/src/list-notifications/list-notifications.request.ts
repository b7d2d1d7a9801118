import { z } from 'zod';

/** Same bounds as the contracts' identifiers, so any customer id an event can carry can be looked up. */
export const customerIdParam = z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
