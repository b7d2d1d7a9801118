import type { Pool } from 'pg';
import type { ConsumedMessage } from '../consumed-message.js';

export declare const EFFECTS_SCHEMA: string;
export declare function recordDeliveries(pool: Pool, messages: ConsumedMessage[]): Promise<void>;
export declare function applyBatch(
  pool: Pool,
  messages: ConsumedMessage[],
  options?: { beforeCommit?: () => Promise<void> },
): Promise<void>;
export declare function readEffects(pool: Pool): Promise<{
  handled: number;
  totals: Record<string, number>;
  deliveries: number;
  distinctDelivered: number;
}>;
