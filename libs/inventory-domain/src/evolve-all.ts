import { evolve, type SkuEvent, type SkuState } from './sku.js';

/**
 * Folds a batch of events: a load's replay, or the events of one decision. `evolve` copies O(log n) nodes of the line
 * maps per event (sorted-map.ts), so a plain fold is linear in the events, whatever the number of open lines; the
 * earlier bulk fold that copied the lists once per batch is no longer needed. Kept as the shell's entry point.
 */
export const evolveAll = (state: SkuState, events: readonly SkuEvent[]): SkuState => events.reduce(evolve, state);
